/**
 * `npm run bench startup`: how production starts (plain node on the compiled dist/) beside a bare grammY bot
 * started the same way in the same run — time from spawn to the first getUpdates, resident memory after 3 s idle —
 * and the bot's memory with 10,000 groups registered. Goals (issue 10): start-up ≤ 1.5×, memory ≤ 1.6× bare grammY,
 * ≤ 140 MiB with 10,000 groups.
 */
import { execFileSync, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createSimulator, type Simulator } from "../tools/simulator/index.js";
import { startBot } from "../tools/demo/bot-process.js";
import { startRedis } from "../test/support/redis-server.js";
import { median, row, rssMiB } from "./measure.js";
import { seedGroupRecords } from "./redis.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const GROUPS = 10_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Milliseconds from `since` to the first getUpdates the simulator saw after it. */
async function firstPoll(sim: Simulator, since: number): Promise<number> {
  for (;;) {
    const call = sim.calls.find((c) => c.method === "getUpdates" && c.at >= since);
    if (call) return call.at - since;
    await sleep(5);
  }
}

/** Spawns `start`, times it to its first getUpdates, reads its RSS after 3 s idle, and stops it. */
async function measure(
  sim: Simulator,
  start: () => { pid: number; stop(): Promise<unknown> },
): Promise<{ ms: number; rss: number }> {
  const since = Date.now();
  const proc = start();
  const ms = await firstPoll(sim, since);
  await sleep(3000);
  const rss = rssMiB(proc.pid);
  await proc.stop();
  return { ms, rss };
}

function bare(sim: Simulator) {
  const child = spawn(process.execPath, ["bench/bare-startup-bot.mjs"], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      BOT_TOKEN: sim.token,
      TELEGRAM_API_ROOT: sim.apiRoot,
      NODE_ENV: "production",
    },
    stdio: "ignore",
  });
  const exited = new Promise((r) => child.once("exit", r));
  return { pid: child.pid ?? 0, stop: () => (child.kill("SIGTERM"), exited) };
}

export async function benchStartup(): Promise<void> {
  console.log("\n# start-up: compiled Sanxue beside a bare grammY bot, both plain node");
  execFileSync("npm", ["run", "build", "--silent"], { cwd: ROOT, stdio: "ignore" });
  const sim = await createSimulator({ limits: false });
  const redis = await startRedis();
  const env = {
    BOT_TOKEN: sim.token,
    TELEGRAM_API_ROOT: sim.apiRoot,
    REDIS_URL: redis.url,
    CONTENT_DIR: "content",
    NODE_ENV: "production",
  };
  try {
    const ours: { ms: number; rss: number }[] = [];
    const floors: { ms: number; rss: number }[] = [];
    for (let i = 0; i < 3; i++) {
      floors.push(await measure(sim, () => bare(sim)));
      let proc: Awaited<ReturnType<typeof startBot>> | undefined;
      const started = startBot(env, { entry: "compiled", waitReady: false }).then((p) => (proc = p));
      ours.push(
        await measure(sim, () => ({
          get pid() {
            return proc?.pid ?? 0;
          },
          stop: async () => (await started).stop(),
        })),
      );
    }
    const [ms, floorMs] = [median(ours.map((o) => o.ms)), median(floors.map((f) => f.ms))];
    const [rss, floorRss] = [median(ours.map((o) => o.rss)), median(floors.map((f) => f.rss))];
    row(
      "start-up to first getUpdates (median of 3)",
      `${ms.toFixed(0)} ms`,
      `bare grammY ${floorMs.toFixed(0)} ms → ×${(ms / floorMs).toFixed(2)} (goal ≤ 1.5)`,
    );
    row(
      "memory after 3 s idle (RSS, median of 3)",
      `${rss.toFixed(0)} MiB`,
      `bare grammY ${floorRss.toFixed(0)} MiB → ×${(rss / floorRss).toFixed(2)} (goal ≤ 1.6)`,
    );

    await seedGroupRecords(redis.url, GROUPS);
    const bot = await startBot(env, { entry: "compiled" });
    await sleep(17_000); // the start-up pass and three 5-second scheduler ticks over every group
    const many = rssMiB(bot.pid);
    await bot.stop();
    row(
      `memory with ${GROUPS.toLocaleString("en")} groups (RSS)`,
      `${many.toFixed(0)} MiB`,
      `goal ≤ 140 MiB`,
    );
  } finally {
    await sim.close();
    await redis.destroy();
  }
}
