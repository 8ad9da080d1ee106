/**
 * Outbox figures: a lesson fanned out to 600 groups by the real bot process under Telegram's limits
 * (time against the floor those limits allow, messages lost, duplicates), and the memory of one
 * instance serving 10,000 groups beside the same process serving none.
 */
import { writeFileSync } from "node:fs";
import { createSimulator } from "../tools/simulator/index.js";
import { startBot } from "../tools/demo/bot-process.js";
import { startRedis } from "../test/support/redis-server.js";
import { FIXTURE_CONTENT } from "../test/support/scene.js";
import { busiestSecond, lessonsIn, seedGroups, waitDelivered } from "../test/outbox/fanout.js";
import { cpuMs, percentile, row, rssMiB } from "./measure.js";
import { callsPer, redisUsage, seedGroupRecords } from "./redis.js";

const FANOUT_GROUPS = 600;
const MEMORY_GROUPS = 10_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The fan-out by `instances` bot processes sharing one Redis (and so one line of sends). */
async function fanout(instances: number): Promise<void> {
  const sim = await createSimulator({ limits: { perSecond: 30, perGroupPerMinute: 20 } });
  const redis = await startRedis();
  const env = { BOT_TOKEN: sim.token, TELEGRAM_API_ROOT: sim.apiRoot, REDIS_URL: redis.url, CONTENT_DIR: FIXTURE_CONTENT };
  // The groups are there before the bot starts (as after a restart), so its first read of them has them all:
  // "slot → first message" is the scheduler's tick and the outbox's start, not a stale list of groups.
  const slotAt = Math.ceil((Date.now() + 8000) / 1000) * 1000; // a whole second, as the slot's cron names it
  const chats = await seedGroups(sim, redis.url, FANOUT_GROUPS, slotAt);
  const bots = await Promise.all(Array.from({ length: instances }, () => startBot(env)));
  const botsCpu = () => bots.reduce((sum, bot) => sum + cpuMs(bot.pid), 0);
  try {
    const cpu0 = botsCpu();
    const redis0 = await redisUsage(redis.url);
    // From the first lesson message to the last: the wait for the slot itself is not the outbox's doing (printed apart).
    await waitDelivered(sim, redis.url, chats, 600_000);
    const botCpu = botsCpu() - cpu0;
    const redis1 = await redisUsage(redis.url);
    const sends = sim.calls.filter((c) => c.ok && c.method === "sendMessage");
    const first = Math.min(...sends.map((c) => c.at));
    const last = Math.max(...sends.map((c) => c.at));
    const counts = chats.map((c) => lessonsIn(sim, c).length);
    const lost = counts.filter((n) => n === 0).length;
    const duplicates = counts.reduce((sum, n) => sum + Math.max(0, n - 1), 0);
    const refused = sim.calls.filter((c) => c.error?.error_code === 429).length;
    const seconds = (last - first) / 1000;
    const floor = sends.length / 30;
    row(`fan-out to ${FANOUT_GROUPS} groups, ${instances} instance${instances > 1 ? "s" : ""} (first → last)`, `${seconds.toFixed(1)} s`, `${sends.length} messages; floor at 30/s ${floor.toFixed(1)} s → ×${(seconds / floor).toFixed(2)}; ${refused} × 429`);
    const times = sends.map((c) => c.at).sort((a, b) => a - b);
    row("busiest second (sends in any 1,000 ms)", String(busiestSecond(times)), "the simulator refuses the 31st");
    row("slot → first message", `${((first - slotAt) / 1000).toFixed(2)} s`, "the scheduler's tick and the job's start");
    if (process.env.BENCH_FANOUT_TRACE) writeFileSync(process.env.BENCH_FANOUT_TRACE, JSON.stringify({ slotAt, times, slotsRan: bots.flatMap((bot) => bot.logs).filter((l) => l.includes('"slot ran"')).map((l) => (JSON.parse(l) as { time: number }).time) }));
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? t));
    row("gap between sends (p50 / p99 / max)", `${percentile(gaps, 50)} / ${percentile(gaps, 99)} / ${Math.max(...gaps)} ms`, `the line's slot ${(1000 / 30).toFixed(1)} ms`);
    row("bot CPU per message", `${(botCpu / sends.length).toFixed(2)} ms`, `Redis ${(((redis1.cpu - redis0.cpu) * 1000) / sends.length).toFixed(2)} ms`);
    row("Redis commands per message", callsPer(redis0.calls, redis1.calls, sends.length, 6), "BullMQ, the push and the pacing; scripts' own calls and the bench's polls of the queue included");
    row("messages lost", String(lost), "must be 0");
    row("duplicates", String(duplicates), "must be 0");
  } finally {
    await Promise.all(bots.map((bot) => bot.stop()));
    await sim.close();
    await redis.destroy();
  }
}

/** RSS of the real bot process after the scheduler has ticked over `groups` groups a few times. */
async function rssWith(groups: number): Promise<number> {
  const sim = await createSimulator({ limits: false });
  const redis = await startRedis();
  try {
    await seedGroupRecords(redis.url, groups);
    const bot = await startBot({ BOT_TOKEN: sim.token, TELEGRAM_API_ROOT: sim.apiRoot, REDIS_URL: redis.url, CONTENT_DIR: FIXTURE_CONTENT });
    await sleep(17_000); // the start-up pass and three 5-second ticks
    const rss = rssMiB(bot.pid);
    await bot.stop();
    return rss;
  } finally {
    await sim.close();
    await redis.destroy();
  }
}

export async function benchFanout(): Promise<void> {
  console.log("\n# outbox: fan-out under Telegram's limits, memory with 10,000 groups");
  await fanout(1);
  await fanout(2);
  if (process.env.BENCH_FANOUT_ONLY) return;
  const none = await rssWith(0);
  const many = await rssWith(MEMORY_GROUPS);
  row(`memory with ${MEMORY_GROUPS.toLocaleString("en")} groups (RSS)`, `${many.toFixed(0)} MiB`, `same process with no groups ${none.toFixed(0)} MiB → +${(many - none).toFixed(0)} MiB`);
}
