/**
 * CI's proof of the Docker image's recipe without Docker: copy exactly what the Dockerfile's runtime stage copies
 * into a clean folder, install production dependencies only, start `node dist/main.js` with NODE_ENV=production
 * against the Bot API simulator, and wait until it long-polls and answers /help. A runtime import of a development
 * dependency, or a file the build forgot, fails here. `npx tsx tools/production-start.ts` (after `npm run build`).
 */
import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
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
const child = spawn(process.execPath, ["dist/main.js"], {
  cwd: app,
  env: {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    NODE_ENV: "production",
    BOT_TOKEN: sim.token,
    TELEGRAM_API_ROOT: sim.apiRoot,
    DATA_DIR: join(app, "data"),
  },
  stdio: ["ignore", "pipe", "pipe"],
});
let output = "";
child.stdout.on("data", (c: Buffer) => (output += c.toString()));
child.stderr.on("data", (c: Buffer) => (output += c.toString()));
const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));

async function until(what: string, ok: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(`production start: ${what} did not happen\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let failed = false;
try {
  const started = Date.now();
  await until("long polling", () => output.includes("long polling started"), 30_000);
  const user = sim.user({ first_name: "Newcomer" });
  const chat = sim.privateChat(user);
  await sim.send(user, chat, "/help");
  await until(
    "an answer to /help",
    () => sim.botMessages(chat).some((m) => (m.text ?? "").includes("/me")),
    15_000,
  );
  console.log(
    `production start ok: node dist/main.js long-polled and answered /help (${Date.now() - started} ms, production dependencies only)`,
  );
} catch (err) {
  failed = true;
  console.error((err as Error).message);
} finally {
  child.kill("SIGTERM");
  const code = await exited;
  if (!failed && code !== 0) {
    failed = true;
    console.error(`production start: the bot exited with ${code} after SIGTERM\n${output}`);
  }
  await sim.close();
  rmSync(app, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
