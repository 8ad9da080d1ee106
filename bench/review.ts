/**
 * Spaced review's costs, `npm run bench review`:
 *  1. Redis bytes per memory card (MEMORY USAGE of members' card hashes and due sets), beside a baseline from the
 *     same run: the same cards stored the obvious way (ts-fsrs's Card as JSON, one hash field per question);
 *  2. the daily reminder pass for BENCH_REVIEW_MEMBERS (100,000) members who all chose 20:30, a share of them with
 *     something due: time and Redis commands (server-side INFO commandstats, so BullMQ's and scripts' own commands
 *     count too), beside a baseline: the same timers run through the scheduler with a handler that does nothing
 *     (the timer mechanism's own cost, which any per-member daily job pays).
 */
import pino from "pino";
import type { Redis } from "ioredis";
import { createEmptyCard } from "ts-fsrs";
import { createGroupsRepository } from "../src/groups/index.js";
import { createOutbox, createPacingRepository } from "../src/outbox/index.js";
import { createReminders, createReviewRepository, createReviewService, gradeCard, REMIND_TIMER } from "../src/review/index.js";
import { createScheduleRepository, createScheduler, type TimerHandler } from "../src/schedule/index.js";
import type { Curriculum } from "../src/content/types.js";
import type { ActivityRepository } from "../src/activity/index.js";
import { unpaced } from "../src/shared/pacer.js";
import { userKey } from "../src/shared/keys.js";
import { row } from "./measure.js";
import { startBenchRedis } from "./redis.js";

const MEMBERS = Number(process.env.BENCH_REVIEW_MEMBERS ?? 100_000);
const DUE_SHARE = Number(process.env.BENCH_REVIEW_DUE_SHARE ?? 0.3);
const CARD_MEMBERS = 1000;
const CARDS_EACH = 40;
const DAY = 86_400_000;
// Tuesday 2026-12-01 20:30 in Shanghai.
const AT = Date.parse("2026-12-01T12:30:00Z");
const logger = pino({ level: "silent" });
const out = (line: string) => process.stdout.write(`${line}\n`);

async function serverCommands(redis: Redis): Promise<number> {
  const info = await redis.info("commandstats");
  return [...info.matchAll(/calls=(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
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

async function reminderPass(redis: Redis, noop: boolean): Promise<{ ms: number; commands: number; sent: number }> {
  await redis.flushall();
  const clock = { now: () => AT - 3600_000 };
  const repo = createReviewRepository(redis);
  const groups = createGroupsRepository(redis);
  const timers = createScheduleRepository(redis);
  const outbox = createOutbox({ redis, pacing: createPacingRepository(redis), logger, perSecond: 28, perGroupPerMinute: 20, concurrency: 8 });
  let enqueued = 0;
  const counting = { enqueue: async (kind: string, id: string, payload: Record<string, unknown>) => (enqueued++, outbox.enqueue(kind, id, payload)) };
  const noGroups = { groupsOf: async () => [], get: async () => undefined, isOnRoster: async () => false };
  const review = createReviewService({
    repo, groups: noGroups, activity: {} as ActivityRepository, curriculum: {} as Curriculum, defaultTimeZone: "Asia/Shanghai",
    api: {} as never, t: (_l, key) => key, pacer: unpaced, clock, logger,
  });
  const reminders = createReminders({
    repo, review, groups: { user: (id) => groups.user(id) }, timers, outbox: counting, defaultTimeZone: "Asia/Shanghai", defaultLocale: "zh",
    api: {} as never, t: (_l, key) => key, pacer: unpaced, clock, logger,
  });
  await inChunks(MEMBERS, 500, async (i) => {
    const u = 2_000_000 + i;
    await groups.saveUser({ id: u, name: `m${i}`, privateOk: true });
    const card = gradeCard(undefined, false, AT - (i < MEMBERS * DUE_SHARE ? 2 : 0.5) * DAY, `p${i}`).card;
    await repo.saveCard(u, "L|technology-01|0", "", card);
    await reminders.on(u, { hour: 20, minute: 30 }, "zh");
  });
  const handler: TimerHandler = noop ? async () => undefined : reminders.timer;
  const scheduler = createScheduler({
    repo: timers, activeGroups: async () => [], sources: [], timerHandlers: { [REMIND_TIMER]: handler },
    clock: { now: () => AT + 1000 }, logger, graceMs: 0, instanceId: "bench",
  });
  const before = await serverCommands(redis);
  const started = performance.now();
  for (;;) if ((await scheduler.tick(AT + 1000)).timers === 0) break;
  const ms = performance.now() - started;
  const commands = (await serverCommands(redis)) - before;
  await outbox.stop();
  return { ms, commands, sent: enqueued };
}

export async function benchReview(): Promise<void> {
  const server = await startBenchRedis();
  try {
    await cardBytes(server.redis);
    out(`\nreview: the daily reminder pass, ${MEMBERS.toLocaleString("en")} members at 20:30, ${Math.round(DUE_SHARE * 100)}% with something due`);
    const base = await reminderPass(server.redis, true);
    row("baseline: the timers alone (no-op handler)", `${(base.ms / 1000).toFixed(1)} s`, `${base.commands.toLocaleString("en")} Redis commands, ${(base.commands / MEMBERS).toFixed(1)} per member`);
    const ours = await reminderPass(server.redis, false);
    row("ours: check due + started, enqueue, next day", `${(ours.ms / 1000).toFixed(1)} s`, `${ours.commands.toLocaleString("en")} Redis commands, ${(ours.commands / MEMBERS).toFixed(1)} per member; ${ours.sent.toLocaleString("en")} reminders enqueued`);
    row("ours per member", `${((ours.ms / MEMBERS) * 1000).toFixed(0)} µs`, `baseline ${((base.ms / MEMBERS) * 1000).toFixed(0)} µs`);
  } finally {
    await server.stop();
  }
}
