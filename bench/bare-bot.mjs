// The framework's floor for the storms: a grammY bot that only answers button presses (and prints a
// line per poll answer, as the real bot logs one), in its own process and on plain node like the real
// bot's compiled dist/. `node bench/bare-bot.mjs polling|webhook` with BOT_TOKEN, TELEGRAM_API_ROOT
// (and PORT, WEBHOOK_SECRET for webhook mode); prints "ready" when it listens. BARE_FETCH: the path of a
// compiled src/shared/telegram-http.ts, whose fetch it then uses instead of grammY's default (like for like).
import { createServer } from "node:http";
import { Bot, webhookCallback } from "grammy";
import { run } from "@grammyjs/runner";

const mode = process.argv[2] ?? "polling";
const fetch = process.env.BARE_FETCH ? (await import(process.env.BARE_FETCH)).telegramFetch() : undefined;
const bot = new Bot(process.env.BOT_TOKEN ?? "", { client: { apiRoot: process.env.TELEGRAM_API_ROOT ?? "", ...(fetch && { fetch }) } });
bot.on("callback_query", (ctx) => ctx.answerCallbackQuery({ text: "ok" }));
bot.on("poll_answer", (ctx) => void process.stdout.write(`{"msg":"poll answer","poll":"${ctx.pollAnswer.poll_id}"}\n`));
bot.catch(() => undefined);
await bot.init();

if (mode === "webhook") {
  const handle = webhookCallback(bot, "http", { secretToken: process.env.WEBHOOK_SECRET ?? "" });
  const server = createServer((req, res) => void handle(req, res));
  await new Promise((r) => server.listen(Number(process.env.PORT), "127.0.0.1", r));
  process.once("SIGTERM", () => process.exit(0)); // exits cleanly, so that --cpu-prof writes its profile
} else {
  await bot.api.deleteWebhook();
  const runner = run(bot, { runner: { fetch: { allowed_updates: ["callback_query", "poll", "poll_answer"] } } });
  process.once("SIGTERM", () => void runner.stop().then(() => process.exit(0)));
}
console.log("ready");
