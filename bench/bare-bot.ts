/**
 * The framework's floor for the sign-in storm: a grammY bot that only answers button presses, in
 * its own process like the real bot. `tsx bench/bare-bot.ts polling|webhook` with BOT_TOKEN,
 * TELEGRAM_API_ROOT (and PORT, WEBHOOK_SECRET for webhook mode); prints "ready" when it listens.
 */
import { createServer } from "node:http";
import { Bot, webhookCallback } from "grammy";
import { run } from "@grammyjs/runner";

const mode = process.argv[2] ?? "polling";
const bot = new Bot(process.env.BOT_TOKEN ?? "", { client: { apiRoot: process.env.TELEGRAM_API_ROOT ?? "" } });
bot.on("callback_query", (ctx) => ctx.answerCallbackQuery({ text: "ok" }));
bot.catch(() => undefined);
await bot.init();

if (mode === "webhook") {
  const handle = webhookCallback(bot, "http", { secretToken: process.env.WEBHOOK_SECRET ?? "" });
  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => server.listen(Number(process.env.PORT), "127.0.0.1", r));
} else {
  await bot.api.deleteWebhook();
  run(bot, { runner: { fetch: { allowed_updates: ["callback_query"] } } });
}
console.log("ready");
