/**
 * `npm run bench startup`: how production starts (plain node on the compiled dist/) beside a bare grammY bot
 * started the same way in the same run — time from spawn to the first getUpdates, resident memory after 3 s idle —
 * and the bot's memory with 10,000 groups registered. Goals (issue 10): start-up ≤ 1.5×, memory ≤ 1.6× bare grammY,
 * ≤ 140 MiB with 10,000 groups. The first start after a build compiles the bundle from its source and writes V8's code
 * cache (tools/bundle-loader.mjs); it is shown on its own line, and the medians are of the starts after it.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defaultCacheDir } from "../src/content/index.js";
import { createSimulator, type Simulator } from "../tools/simulator/index.js";
import { startBot } from "../tools/demo/bot-process.js";
import { startRedis } from "../test/support/redis-server.js";
import { cpuMs, median, row, rssMiB } from "./measure.js";
import { seedGroupRecords } from "./redis.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const GROUPS = 10_000;
/** Starts of each bot; the figures are their medians (BENCH_STARTS=7 on a busy machine). */
const RUNS = Number(process.env.BENCH_STARTS ?? 3);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Start {
  /** Milliseconds from spawn to the first getUpdates. */
  ms: number;
  /** CPU milliseconds the process had used by then: steadier than `ms` when the machine is busy. */
  cpu: number;
  rss: number;
}

/** Milliseconds from `since` to the first getUpdates the simulator saw after it, and the CPU `pid()` had used. */
async function firstPoll(sim: Simulator, since: number, pid: () => number): Promise<{ ms: number; cpu: number }> {
  for (;;) {
    const call = sim.calls.find((c) => c.method === "getUpdates" && c.at >= since);
    if (call) return { ms: call.at - since, cpu: cpuMs(pid()) };
    await sleep(1);
  }
}

/** Spawns `start`, times it to its first getUpdates, reads its RSS after 3 s idle, and stops it. */
async function measure(sim: Simulator, start: () => { pid: number; stop(): Promise<unknown> }): Promise<Start> {
  const since = Date.now();
  const proc = start();
  const { ms, cpu } = await firstPoll(sim, since, () => proc.pid);
  await sleep(3000);
  const rss = rssMiB(proc.pid);
  await proc.stop();
  return { ms, cpu, rss };
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

/** Removes the compiled bundle's code caches, so that the next start is a first start after a build. */
function forgetCodeCache(): void {
  // The loader keeps its cache beside the content cache (tools/bundle-loader.mjs).
  const dir = defaultCacheDir();
  if (!existsSync(dir)) return;
  for (const file of readdirSync(dir, { withFileTypes: true }).filter((f) => /^code-.*\.v8$/.test(f.name)))
    rmSync(join(dir, file.name));
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
  const sanxue = () => {
    let proc: Awaited<ReturnType<typeof startBot>> | undefined;
    const started = startBot(env, { entry: "compiled", waitReady: false }).then((p) => (proc = p));
    return measure(sim, () => ({
      get pid() {
        return proc?.pid ?? 0;
      },
      stop: async () => (await started).stop(),
    }));
  };
  try {
    forgetCodeCache();
    const first = await sanxue();
    const ours: Start[] = [];
    const floors: Start[] = [];
    for (let i = 0; i < RUNS; i++) {
      floors.push(await measure(sim, () => bare(sim)));
      ours.push(await sanxue());
    }
    const [ms, floorMs] = [median(ours.map((o) => o.ms)), median(floors.map((f) => f.ms))];
    const [cpu, floorCpu] = [median(ours.map((o) => o.cpu)), median(floors.map((f) => f.cpu))];
    const [rss, floorRss] = [median(ours.map((o) => o.rss)), median(floors.map((f) => f.rss))];
    row(
      `start-up to first getUpdates (median of ${RUNS})`,
      `${ms.toFixed(0)} ms`,
      `bare grammY ${floorMs.toFixed(0)} ms → ×${(ms / floorMs).toFixed(2)} (goal ≤ 1.5)`,
    );
    row(
      "first start after a build (no code cache yet)",
      `${first.ms.toFixed(0)} ms`,
      `×${(first.ms / floorMs).toFixed(2)} of bare grammY, CPU ${first.cpu.toFixed(0)} ms, ${first.rss.toFixed(0)} MiB after 3 s`,
    );
    row(
      `CPU used by the first getUpdates (median of ${RUNS})`,
      `${cpu.toFixed(0)} ms`,
      `bare grammY ${floorCpu.toFixed(0)} ms → ×${(cpu / floorCpu).toFixed(2)} (less swayed by a busy machine)`,
    );
    row(
      `memory after 3 s idle (RSS, median of ${RUNS})`,
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
