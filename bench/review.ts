/**
 * Spaced review's costs, `npm run bench review`:
 *  1. Redis bytes per memory card (MEMORY USAGE of members' card hashes and due sets), beside a baseline from the
 *     same run: the same cards stored the obvious way (ts-fsrs's Card as JSON, one hash field per question);
 *  2. the daily reminder pass for BENCH_REVIEW_MEMBERS (100,000) members who all chose 20:30, a share of them with
 *     something due: time and Redis commands (server-side INFO commandstats, so BullMQ's and scripts' own commands
 *     count too), beside a baseline: the same timers run through the scheduler with a handler that does nothing
 *     (the timer mechanism's own cost, which any per-member daily job pays), and the reminder run one timer at a
 *     time (a single handler) against the batch handler the app registers. Each with the CPU of both sides;
 *     BENCH_PROFILE=<dir> writes a CPU profile of the batch pass (`npx tsx bench/profile-summary.ts FILE`).
 */
import pino from "pino";
import type { Redis } from "ioredis";
import { createEmptyCard } from "ts-fsrs";
import { mkdirSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { loadavg } from "node:os";
import { join } from "node:path";
import { createGroupsRepository, type GroupInfo } from "../src/groups/index.js";
import { createOutbox, createPacingRepository } from "../src/outbox/index.js";
import { createReminders, createReviewRepository, createReviewService, REMIND_TIMER } from "../src/review/index.js";
import { gradeCard } from "../src/review/memory-grade.js";
import { createScheduleRepository, createScheduler, type TimerKind } from "../src/schedule/index.js";
import { DEFAULT_SCHEDULE } from "../src/content/index.js";
import { connectRedis } from "../src/shared/redis.js";
import type { Curriculum } from "../src/content/types.js";
import type { ActivityRepository } from "../src/activity/index.js";
import { unpaced } from "../src/shared/pacer.js";
import { userKey } from "../src/shared/keys.js";
import { row } from "./measure.js";
import { startBenchRedis } from "./redis.js";

const MEMBERS = Number(process.env.BENCH_REVIEW_MEMBERS ?? 100_000);
const DUE_SHARE = Number(process.env.BENCH_REVIEW_DUE_SHARE ?? 0.3);
const GROUP_SIZE = 100;
/** BENCH_PROFILE=<dir>: a CPU profile of the batch pass's drain written there. */
const PROFILE_DIR = process.env.BENCH_PROFILE;
const CARD_MEMBERS = 1000;
const CARDS_EACH = 40;
const DAY = 86_400_000;
// Tuesday 2026-12-01 20:30 in Shanghai.
const AT = Date.parse("2026-12-01T12:30:00Z");
const logger = pino({ level: "silent" });
const out = (line: string) => process.stdout.write(`${line}\n`);

/** Commands the server ran by name (INFO commandstats: a script's own commands count too). */
async function commandsByName(redis: Redis): Promise<Map<string, number>> {
  const info = await redis.info("commandstats");
  return new Map([...info.matchAll(/cmdstat_([\w|]+):calls=(\d+)/g)].map((m) => [m[1] as string, Number(m[2])]));
}

async function inChunks(n: number, size: number, each: (i: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < n; i += size) await Promise.all(Array.from({ length: Math.min(size, n - i) }, (_, j) => each(i + j)));
}

async function cardBytes(redis: Redis): Promise<void> {
  const repo = createReviewRepository(redis);
  const refs = Array.from({ length: CARDS_EACH }, (_, i) => (i < 30 ? `L|technology-${String(i).padStart(2, "0")}|${i % 3}` : `B|village-basics|${i}`));
  await inChunks(CARD_MEMBERS, 50, async (m) => {
    const u = 1_000_000 + m;
    for (const [i, ref] of refs.entries()) {
      const first = gradeCard(undefined, i % 3 !== 0, AT - 10 * DAY, `5${m}${i}`).card;
      await repo.saveCard(u, ref, "", gradeCard(first, true, first.due, `6${m}${i}`).card);
      // The baseline: ts-fsrs's own Card object as JSON, in a hash of its own.
      const card = { ...createEmptyCard(new Date(first.due)), stability: first.stability, difficulty: first.difficulty, reps: 2, state: first.state };
      await redis.hset(userKey(u, "baseline", "cards"), ref, JSON.stringify(card));
    }
  });
  let ours = 0;
  let baseline = 0;
  for (let m = 0; m < CARD_MEMBERS; m++) {
    const u = 1_000_000 + m;
    ours += Number(await redis.call("MEMORY", "USAGE", userKey(u, "review", "cards"))) + Number(await redis.call("MEMORY", "USAGE", userKey(u, "review", "due")));
    baseline += Number(await redis.call("MEMORY", "USAGE", userKey(u, "baseline", "cards")));
  }
  const cards = CARD_MEMBERS * CARDS_EACH;
  out(`\nreview: Redis bytes per memory card (${CARD_MEMBERS} members × ${CARDS_EACH} cards, MEMORY USAGE)`);
  row("baseline: ts-fsrs Card as JSON in a hash", `${(baseline / cards).toFixed(1)} B`, "no due index: a due query would scan every card");
  row("ours: compact card in a hash + due sorted set", `${(ours / cards).toFixed(1)} B`, "both in the member's {u<id>} slot");
}

type PassMode = "noop" | "single" | "batch";

interface PassFigures {
  ms: number;
  /** CPU of this process (the app's side) and of redis-server over the pass. */
  appCpuMs: number;
  redisCpuMs: number;
  commands: number;
  sent: number;
  /** The pass's commands by name, most first. */
  top: [string, number][];
}

async function redisCpuMs(redis: Redis): Promise<number> {
  const info = await redis.info("cpu");
  const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return (field("used_cpu_user") + field("used_cpu_sys")) * 1000;
}

/**
 * The members' timers all due at AT, run through the scheduler until none is left: `noop` the timers alone,
 * `single` the reminder as a one-timer handler, `batch` as the batch handler the app registers. The app's
 * connection auto-pipelines, as in production (`connectRedis`).
 */
async function reminderPass(admin: Redis, url: string, mode: PassMode): Promise<PassFigures> {
  await admin.flushall();
  const redis = (await connectRedis(url, logger)) as Redis;
  const clock = { now: () => AT - 3600_000 };
  const repo = createReviewRepository(redis);
  const groupsRepo = createGroupsRepository(redis);
  const timers = createScheduleRepository(redis);
  const outbox = createOutbox({ redis, pacing: createPacingRepository(redis), logger, perSecond: 28, perGroupPerMinute: 20, concurrency: 8 });
  let enqueued = 0;
  const counting = { enqueueMany: async (kind: string, jobs: readonly { id: string; payload: Record<string, unknown> }[]) => ((enqueued += jobs.length), outbox.enqueueMany(kind, jobs)) };
  // Members in groups of GROUP_SIZE (each reminder follows its group's zone, read once per group and batch).
  const groupOf = (u: number) => -1_009_000_000_000 - Math.floor((u - 2_000_000) / GROUP_SIZE);
  const memberGroups = {
    groupsOf: async (u: number) => [groupOf(u)],
    get: (id: number) => groupsRepo.get(id),
    isOnRoster: async () => true,
  };
  const runtime = { api: {} as never, t: (_l: string, key: string) => key, pacer: unpaced, clock, logger };
  const review = createReviewService({ ...runtime, repo, groups: memberGroups, activity: {} as ActivityRepository, curriculum: {} as Curriculum, defaultTimeZone: "Asia/Shanghai" });
  const reminders = createReminders({
    ...runtime, repo, review, timers, outbox: counting, defaultTimeZone: "Asia/Shanghai", defaultLocale: "zh",
    groups: { user: (id) => groupsRepo.user(id), get: (id) => groupsRepo.get(id), roster: (id) => groupsRepo.roster(id) },
  });
  await inChunks(Math.ceil(MEMBERS / GROUP_SIZE), 100, (g) => groupsRepo.save(benchGroup(groupOf(2_000_000 + g * GROUP_SIZE), AT - 30 * DAY)));
  await inChunks(MEMBERS, 500, async (i) => {
    const u = 2_000_000 + i;
    await groupsRepo.saveUser({ id: u, name: `m${i}`, privateOk: true });
    const card = gradeCard(undefined, false, AT - (i < MEMBERS * DUE_SHARE ? 2 : 0.5) * DAY, `p${i}`).card;
    await repo.saveCard(u, "L|technology-01|0", "", card);
    await reminders.on(u, { hour: 20, minute: 30 }, "zh");
  });
  const handler: TimerKind = mode === "noop" ? async () => undefined : mode === "single" ? reminders.timer : reminders.batch;
  const scheduler = createScheduler({
    repo: timers, activeGroups: async () => [], sources: [], timerHandlers: { [REMIND_TIMER]: handler },
    clock: { now: () => AT + 1000 }, logger, graceMs: 0, instanceId: "bench",
  });
  const [byNameBefore, redisCpuBefore] = [await commandsByName(admin), await redisCpuMs(admin)];
  const profiling = PROFILE_DIR && mode === "batch" ? await startProfile() : undefined;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (;;) if ((await scheduler.tick(AT + 1000)).timers === 0) break;
  const ms = performance.now() - started;
  if (profiling && PROFILE_DIR) out(`  CPU profile of the batch pass: ${await profiling.stop(PROFILE_DIR)}`);
  const cpu = process.cpuUsage(cpuBefore);
  const byName = await commandsByName(admin);
  const delta = [...byName].map(([name, n]): [string, number] => [name, n - (byNameBefore.get(name) ?? 0) - (name === "info" ? 2 : 0)]);
  const figures = {
    ms,
    appCpuMs: (cpu.user + cpu.system) / 1000,
    redisCpuMs: (await redisCpuMs(admin)) - redisCpuBefore,
    commands: delta.reduce((n, [, calls]) => n + calls, 0), // less the INFO of the reading
    sent: enqueued,
    top: delta.filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]),
  };
  await outbox.stop();
  redis.disconnect();
  return figures;
}

/** A V8 CPU profile of this process from now until `stop` (for `bench/profile-summary.ts`). */
async function startProfile(): Promise<{ stop(dir: string): Promise<string> }> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result))));
  await post("Profiler.enable");
  await post("Profiler.start");
  return {
    async stop(dir) {
      const { profile } = (await post("Profiler.stop")) as { profile: object };
      session.disconnect();
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `review-batch-${process.pid}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      return file;
    },
  };
}

function benchGroup(id: number, since: number): GroupInfo {
  return {
    id, title: `村${id}`, type: "supergroup", isForum: false, active: true, locale: "zh", timeZone: "Asia/Shanghai",
    registeredAt: since, tracksOff: [], schedule: structuredClone(DEFAULT_SCHEDULE), scheduleUpdatedAt: since,
  };
}

function passRow(label: string, f: PassFigures, base?: PassFigures): void {
  const ratio = base ? ` (${(f.ms / base.ms).toFixed(1)}× the baseline's time)` : "";
  row(label, `${(f.ms / 1000).toFixed(1)} s`, `${(f.commands / MEMBERS).toFixed(2)} Redis commands per member (${f.commands.toLocaleString("en")}); CPU app ${(f.appCpuMs / 1000).toFixed(1)} s, redis ${(f.redisCpuMs / 1000).toFixed(1)} s${f.sent ? `; ${f.sent.toLocaleString("en")} reminders enqueued` : ""}${ratio}`);
}

export async function benchReview(): Promise<void> {
  const server = await startBenchRedis();
  try {
    await cardBytes(server.redis);
    out(`\nreview: the daily reminder pass, ${MEMBERS.toLocaleString("en")} members at 20:30 in groups of ${GROUP_SIZE}, ${Math.round(DUE_SHARE * 100)}% with something due (load ${loadavg().map((l) => l.toFixed(2)).join(" ")})`);
    const base = await reminderPass(server.redis, server.url, "noop");
    passRow("baseline: the timers alone (no-op handler)", base);
    const single = await reminderPass(server.redis, server.url, "single");
    passRow("reminders one timer at a time", single, base);
    const batch = await reminderPass(server.redis, server.url, "batch");
    passRow("reminders as a batch (what the app runs)", batch, base);
    row("batch against one at a time", `${(single.ms / batch.ms).toFixed(1)}× faster`, `${(single.commands / batch.commands).toFixed(1)}× fewer commands, ${(single.appCpuMs / batch.appCpuMs).toFixed(1)}× less app CPU`);
    row("batch: commands per member by name", batch.top.slice(0, 6).map(([name, n]) => `${name} ${(n / MEMBERS).toFixed(2)}`).join(", "));
    row("batch per member", `${((batch.ms / MEMBERS) * 1000).toFixed(0)} µs`, `one at a time ${((single.ms / MEMBERS) * 1000).toFixed(0)} µs, baseline ${((base.ms / MEMBERS) * 1000).toFixed(0)} µs`);
  } finally {
    await server.stop();
  }
}
