/**
 * CI's proof of the Docker image's recipe without Docker: copy exactly what the Dockerfile's runtime stage copies
 * into a clean folder, install production dependencies only, start `node dist/main.js` with NODE_ENV=production
 * against the Bot API simulator, and wait until it long-polls and answers /help. A runtime import of a development
 * dependency, or a file the build forgot, fails here. Then it starts the bot again, as a restart would: that start
 * must use the code cache the first one wrote (tools/bundle-loader.mjs), and an organiser's /export must bring the
 * XLSX (exceljs, outside the bundle, imported on first use from the production install).
 * `npx tsx tools/production-start.ts` (after `npm run build`).
 */
import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createSimulator } from "./simulator/index.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const app = mkdtempSync(join(tmpdir(), "sanxue-production-"));
// The runtime stage of the Dockerfile: package files, the compiled dist/ and the content; nothing else.
for (const path of ["package.json", "package-lock.json", "dist", "content"])
  cpSync(join(ROOT, path), join(app, path), { recursive: true });
execFileSync("npm", ["ci", "--omit=dev", "--no-audit", "--no-fund", "--prefer-offline"], {
  cwd: app,
  stdio: "inherit",
});

const sim = await createSimulator({ limits: false, botUsername: "sanxue_production_bot" });
// The bot's temporary folder (its code and content caches) is the app folder's own, so that the checks below see it.
const temp = join(app, "tmp");
mkdirSync(temp);
const codeCaches = () => readdirSync(join(temp, `sanxue-${process.getuid?.() ?? "user"}`)).filter((f) => f.endsWith(".v8"));

/** One production start: `node dist/main.js` with production dependencies only; its output collected. */
function startBot() {
  const child = spawn(process.execPath, ["dist/main.js"], {
    cwd: app,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      TMPDIR: temp,
      NODE_ENV: "production",
      BOT_TOKEN: sim.token,
      TELEGRAM_API_ROOT: sim.apiRoot,
      DATA_DIR: join(app, "data"),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const bot = { child, output: "", exited: new Promise<number | null>((r) => child.on("exit", (code) => r(code))) };
  child.stdout.on("data", (c: Buffer) => (bot.output += c.toString()));
  child.stderr.on("data", (c: Buffer) => (bot.output += c.toString()));
  return bot;
}
type Started = ReturnType<typeof startBot>;

async function until(bot: Started, what: string, ok: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline || bot.child.exitCode !== null)
      throw new Error(`production start: ${what} did not happen\n${bot.output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** SIGTERM, and the exit code must be 0. */
async function stop(bot: Started): Promise<void> {
  bot.child.kill("SIGTERM");
  const code = await bot.exited;
  if (code !== 0) throw new Error(`production start: the bot exited with ${code} after SIGTERM\n${bot.output}`);
}

let failed = false;
let bot: Started | undefined;
try {
  bot = startBot();
  const started = Date.now();
  await until(bot, "long polling", () => bot!.output.includes("long polling started"), 30_000);
  const user = sim.user({ first_name: "Newcomer" });
  const chat = sim.privateChat(user);
  await sim.send(user, chat, "/help");
  await until(bot, "an answer to /help", () => sim.botMessages(chat).some((m) => (m.text ?? "").includes("/me")), 15_000);
  console.log(
    `production start ok: node dist/main.js long-polled and answered /help (${Date.now() - started} ms, production dependencies only)`,
  );
  await until(bot, "the code cache written", () => codeCaches().length === 1, 15_000);
  await stop(bot);

  bot = startBot();
  await until(bot, "a restart using the code cache", () => bot!.output.includes('"codeCache":"used"'), 30_000);
  await until(bot, "long polling after the restart", () => bot!.output.includes("long polling started"), 30_000);
  const admin = sim.user({ first_name: "王书记" });
  const group = sim.group({ title: "生产检查群", admins: [admin] });
  sim.addBot(group, { by: admin, asAdmin: true });
  await sim.waitForBotMessage(group, () => true, { timeout: 15_000 }); // the welcome: the group is registered
  await sim.startPrivate(admin);
  const dm = sim.privateChat(admin);
  await sim.waitForBotMessage(dm, () => true, { timeout: 15_000 });
  await sim.send(admin, group, "/export 1");
  await sim.waitForBotMessage(dm, (m) => Boolean(m.document?.file_name?.endsWith(".xlsx")), { timeout: 20_000 });
  console.log("production restart ok: the code cache was used, and /export sent the XLSX (exceljs from the production install)");
  await stop(bot);
  bot = undefined;
} catch (err) {
  failed = true;
  console.error((err as Error).message);
  if (bot) console.error(`the bot's output:\n${bot.output}`);
} finally {
  if (bot && bot.child.exitCode === null) {
    bot.child.kill("SIGTERM");
    await bot.exited;
  }
  await sim.close();
  rmSync(app, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
