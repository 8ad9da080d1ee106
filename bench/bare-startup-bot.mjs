// The floor for `npm run bench startup`: a bare grammY bot started like production Sanxue (plain node on
// JavaScript, no loader): getMe, deleteWebhook, long polling with the runner. BOT_TOKEN, TELEGRAM_API_ROOT.
import { Bot } from "grammy";
import { run } from "@grammyjs/runner";

const bot = new Bot(process.env.BOT_TOKEN ?? "", {
  client: { apiRoot: process.env.TELEGRAM_API_ROOT ?? "" },
});
bot.command("help", (ctx) => ctx.reply("help"));
bot.catch(() => undefined);
await bot.init();
await bot.api.deleteWebhook();
const runner = run(bot);
process.once("SIGTERM", () => void runner.stop().then(() => process.exit(0)));
