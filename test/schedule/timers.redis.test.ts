import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pino from "pino";
import { Redis } from "ioredis";
import { createScheduleRepository, createScheduler, type TimerEntry, type TimerKind } from "../../src/schedule/index.js";
import { startRedis, type TestRedis } from "../support/redis-server.js";
import { manualClock } from "../support/in-process.js";
import { waitFor } from "../support/wait-for.js";

const silent = pino({ level: "silent" });
const START = Date.parse("2026-11-30T12:00:00Z");
const LEASE = 60_000;

let server: TestRedis;
let redis: Redis;

beforeAll(async () => {
  server = await startRedis();
  redis = new Redis(server.url, { maxRetriesPerRequest: 2 });
});
afterAll(async () => {
  await redis?.quit();
  await server?.destroy();
});

function schedulerWith(clock: { now(): number }, handlers: Record<string, TimerKind>, leaseRenewMs?: number, opts: { client?: Redis; timerBudgetMs?: number } = {}) {
  return createScheduler({
    ...(leaseRenewMs ? { leaseRenewMs } : {}),
    ...(opts.timerBudgetMs === undefined ? {} : { timerBudgetMs: opts.timerBudgetMs }),
    repo: createScheduleRepository(opts.client ?? redis),
    activeGroups: async () => [],
    sources: [],
    timerHandlers: handlers,
    clock,
    logger: silent,
    graceMs: 0,
    instanceId: "t",
  });
}

const stored = async (id: string) => ({
  due: await redis.zscore("sx:{timers}", id),
  payload: await redis.hexists("sx:{timers}:payload", id),
});

describe("durable timers are at-least-once", () => {
  it("a timer whose handler throws stays in Redis and runs again after its lease, then is gone", async () => {
    const clock = manualClock(START);
    const runs: string[] = [];
    let fail = true;
    const scheduler = schedulerWith(clock, {
      flaky: async (t: TimerEntry) => {
        runs.push(t.id);
        if (fail) throw new Error("Telegram was away");
      },
    });
    await createScheduleRepository(redis).setTimer({ id: "flaky:1", kind: "flaky", at: START - 1000, payload: { n: 1 } });

    await scheduler.tick();
    expect(runs).toEqual(["flaky:1"]);
    expect((await stored("flaky:1")).payload).toBe(1);

    // Within the lease nobody takes it again.
    clock.advance(LEASE - 1000);
    await scheduler.tick();
    expect(runs).toHaveLength(1);

    fail = false;
    clock.advance(2000);
    await scheduler.tick();
    expect(runs).toEqual(["flaky:1", "flaky:1"]);
    expect(await stored("flaky:1")).toEqual({ due: null, payload: 0 });

    clock.advance(10 * LEASE);
    await scheduler.tick();
    expect(runs).toHaveLength(2);
  });

  it("a timer whose instance died during the handler (no ack) is run by another instance after the lease", async () => {
    const clock = manualClock(START);
    const started: string[] = [];
    // Instance A takes the timer and never finishes: the process "crashed" inside the handler.
    const a = schedulerWith(clock, {
      close: async (t) => {
        started.push(`a:${t.id}`);
        await new Promise<void>(() => undefined);
      },
    });
    const doneByB: TimerEntry[] = [];
    const b = schedulerWith(clock, { close: async (t) => void doneByB.push(t) });
    await createScheduleRepository(redis).setTimer({ id: "close:7", kind: "close", at: START, payload: { sessionId: 7 } });

    void a.tick();
    await waitFor(() => started.length > 0, { timeout: 2000, interval: 10 });
    expect(started).toEqual(["a:close:7"]);

    await b.tick(); // A still holds the lease
    expect(doneByB).toHaveLength(0);

    clock.advance(LEASE + 1000);
    await b.tick();
    expect(doneByB.map((t) => [t.id, t.at, t.payload])).toEqual([["close:7", START, { sessionId: 7 }]]);
    expect(await stored("close:7")).toEqual({ due: null, payload: 0 });
  });

  it("a timer handled successfully is gone and runs once", async () => {
    const clock = manualClock(START);
    const runs: string[] = [];
    const x = schedulerWith(clock, { once: async (t) => void runs.push(t.id) });
    const y = schedulerWith(clock, { once: async (t) => void runs.push(t.id) });
    await createScheduleRepository(redis).setTimer({ id: "once:1", kind: "once", at: START, payload: {} });
    await Promise.all([x.tick(), y.tick(), x.tick()]);
    expect(runs).toEqual(["once:1"]);
    expect(await stored("once:1")).toEqual({ due: null, payload: 0 });
    clock.advance(100 * LEASE);
    await Promise.all([x.tick(), y.tick()]);
    expect(runs).toEqual(["once:1"]);
  });

  it("a timer set again while its handler runs is kept for its new time", async () => {
    const clock = manualClock(START);
    const repo = createScheduleRepository(redis);
    const runs: number[] = [];
    const scheduler = schedulerWith(clock, {
      again: async (t) => {
        runs.push(t.at);
        if (runs.length === 1) await repo.setTimer({ id: t.id, kind: "again", at: START + 3600_000, payload: {} });
      },
    });
    await repo.setTimer({ id: "again:1", kind: "again", at: START, payload: {} });
    await scheduler.tick();
    expect(Number((await stored("again:1")).due)).toBe(START + 3600_000);
    clock.set(START + 3600_000);
    await scheduler.tick();
    expect(runs).toEqual([START, START + 3600_000]);
    expect(await stored("again:1")).toEqual({ due: null, payload: 0 });
  });

  it("a handler still at work past its first lease keeps the timer: no second instance runs it meanwhile", async () => {
    const clock = manualClock(START);
    let release: () => void = () => undefined;
    const started: string[] = [];
    const slow = schedulerWith(
      clock,
      {
        slow: async (t) => {
          started.push(`slow:${t.id}`);
          await new Promise<void>((r) => (release = r));
        },
      },
      20,
    );
    const other = schedulerWith(clock, { slow: async (t) => void started.push(`other:${t.id}`) });
    await createScheduleRepository(redis).setTimer({ id: "slow:1", kind: "slow", at: START, payload: {} });

    const running = slow.tick();
    await waitFor(() => started.length > 0, { timeout: 2000, interval: 10 });
    clock.advance(LEASE + 5000); // the first lease is over; the handler is still sending
    await waitFor(async () => Number((await stored("slow:1")).due) > clock.now(), { timeout: 2000, interval: 10, message: "the lease renewed" });
    await other.tick();
    expect(started).toEqual(["slow:slow:1"]);

    release();
    await running;
    expect(await stored("slow:1")).toEqual({ due: null, payload: 0 });
    clock.advance(10 * LEASE);
    await other.tick();
    expect(started).toEqual(["slow:slow:1"]);
  });
});

describe("timers at scale", () => {
  it("two instances draining 2,200 due timers together (batch and single kinds) run each exactly once, none lost", async () => {
    const clock = manualClock(START);
    const repo = createScheduleRepository(redis);
    const runs = new Map<string, number>();
    const ran = (id: string) => runs.set(id, (runs.get(id) ?? 0) + 1);
    const handlers: Record<string, TimerKind> = {
      // A batch takes a moment (as real ones do), so the two instances' takes interleave.
      daily: { batch: async (timers) => (timers.forEach((t) => ran(t.id)), await new Promise((r) => setTimeout(r, 5))) },
      close: async (t) => void ran(t.id),
    };
    const ids = Array.from({ length: 2200 }, (_, i) => (i % 3 === 0 ? `close:${i}` : `daily:${i}`));
    await repo.setTimers(ids.map((id, i) => ({ id, kind: id.split(":")[0] as string, at: START - (i % 50) * 1000, payload: { i } })));
    const other = new Redis(server.url, { maxRetriesPerRequest: 2 });
    await other.ping(); // connected before the race starts
    try {
      const a = schedulerWith(clock, handlers);
      const b = schedulerWith(clock, handlers, undefined, { client: other });
      const ticks = { a: 0, b: 0 };
      for (let round = 0; round < 50 && (await redis.zcard("sx:{timers}")) > 0; round++) {
        const [x, y] = await Promise.all([a.tick(), b.tick()]);
        ticks.a += x.timers;
        ticks.b += y.timers;
      }
      expect(ticks.a + ticks.b).toBe(2200);
      expect(ticks.a).toBeGreaterThan(0); // both took a share
      expect(ticks.b).toBeGreaterThan(0);
    } finally {
      await other.quit();
    }
    expect(runs.size).toBe(2200);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(await redis.zcard("sx:{timers}")).toBe(0);
    expect(await redis.hlen("sx:{timers}:payload")).toBe(0);
    expect(await redis.hlen("sx:{timers}:attempts")).toBe(0);
  });

  it("a batch handler's failed timers come back after their lease; the rest of the batch is gone", async () => {
    const clock = manualClock(START);
    const repo = createScheduleRepository(redis);
    const seen: string[][] = [];
    const scheduler = schedulerWith(clock, {
      some: { batch: async (timers) => (seen.push(timers.map((t) => t.id)), { failed: seen.length === 1 ? ["some:2"] : [] }) },
    });
    await repo.setTimers([1, 2, 3].map((n) => ({ id: `some:${n}`, kind: "some", at: START, payload: {} })));
    await scheduler.tick();
    expect(seen).toEqual([["some:1", "some:2", "some:3"]]);
    expect(await redis.zrange("sx:{timers}", "0", "-1")).toEqual(["some:2"]);
    await scheduler.tick();
    expect(seen).toHaveLength(1); // leased
    clock.advance(LEASE + 1000);
    await scheduler.tick();
    expect(seen).toEqual([["some:1", "some:2", "some:3"], ["some:2"]]);
    expect(await redis.zcard("sx:{timers}")).toBe(0);
  });

  it("a tick out of time gives back the timers it took but did not run: due at once, their attempt not counted", async () => {
    const clock = manualClock(START);
    const repo = createScheduleRepository(redis);
    const runs: string[] = [];
    // No time at all: each tick runs one timer (it always runs one) and gives the others back.
    const scheduler = schedulerWith(clock, { slowish: async (t) => void runs.push(t.id) }, undefined, { timerBudgetMs: 0 });
    await repo.setTimers([1, 2, 3].map((n) => ({ id: `slowish:${n}`, kind: "slowish", at: START - 10 + n, payload: {} })));
    expect((await scheduler.tick()).timers).toBe(1);
    expect(runs).toEqual(["slowish:1"]);
    // Given back at their own due time, not hidden by a lease, and not counted as an attempt.
    expect(await redis.zrange("sx:{timers}", "0", "-1", "WITHSCORES")).toEqual(["slowish:2", String(START - 8), "slowish:3", String(START - 7)]);
    expect(await redis.hmget("sx:{timers}:attempts", "slowish:2", "slowish:3")).toEqual(["0", "0"]);
    await scheduler.tick(); // the same moment: no lease to wait out
    await scheduler.tick();
    expect(runs).toEqual(["slowish:1", "slowish:2", "slowish:3"]);
    expect(await redis.zcard("sx:{timers}")).toBe(0);
  });
});

describe("a group's move to a supergroup moves its timers", () => {
  const FROM = -4242;
  const TO = -1_000_000_004_242;

  async function setUp() {
    const repo = createScheduleRepository(redis);
    await repo.setTimers([
      { id: "signin:-4242:1", kind: "signin-close", at: START + 1000, payload: { groupId: FROM, sessionId: 1 } },
      { id: "quiz-lesson:-4242:l1", kind: "quiz-lesson", at: START + 2000, payload: { groupId: FROM, lessonId: "l1" } },
      { id: "signin:-77:1", kind: "signin-close", at: START + 1000, payload: { groupId: -77, sessionId: 1 } },
      ...Array.from({ length: 300 }, (_, i) => ({ id: `review-remind:${i}`, kind: "review-remind", at: START + 5000, payload: { userId: i, at: START + 5000 } })),
    ]);
    return repo;
  }
  const groupOf = async (id: string) => (JSON.parse((await redis.hget("sx:{timers}:payload", id)) ?? "{}") as { payload?: { groupId?: number } }).payload?.groupId;
  const calls = async (command: string) => Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(await redis.info("commandstats"))?.[1] ?? 0);

  it("reads only that group's timers, not every timer's payload", async () => {
    await redis.flushall();
    const repo = await setUp();
    await repo.moveGroup(-1, -2); // the first move indexes timers older than the index (none here) once
    await redis.config("RESETSTAT");
    await repo.moveGroup(FROM, TO);
    expect(await groupOf("signin:-4242:1")).toBe(TO);
    expect(await groupOf("quiz-lesson:-4242:l1")).toBe(TO);
    expect(await groupOf("signin:-77:1")).toBe(-77);
    expect(await groupOf("review-remind:7")).toBeUndefined();
    expect(await calls("hgetall")).toBe(0);
    expect(await calls("hscan")).toBe(0);
    // Still pending at the same time; the index follows the move, and a second move finds nothing of the old id.
    expect(Number(await redis.zscore("sx:{timers}", "signin:-4242:1"))).toBe(START + 1000);
    expect(await redis.zrangebyscore("sx:{timers}:by-group", TO, TO)).toEqual(["quiz-lesson:-4242:l1", "signin:-4242:1"]);
    expect(await redis.zrangebyscore("sx:{timers}:by-group", FROM, FROM)).toEqual([]);
  });

  it("timers set before the index existed are found too (indexed once), and a timer gone meanwhile is not brought back", async () => {
    await redis.flushall();
    const repo = await setUp();
    await redis.del("sx:{timers}:by-group", "sx:{timers}:by-group:ready"); // as a deployment from before the index
    await repo.cancelTimer("quiz-lesson:-4242:l1");
    await repo.moveGroup(FROM, TO);
    expect(await groupOf("signin:-4242:1")).toBe(TO);
    expect(await groupOf("signin:-77:1")).toBe(-77);
    expect(await redis.hexists("sx:{timers}:payload", "quiz-lesson:-4242:l1")).toBe(0);
    expect(await redis.exists("sx:{timers}:by-group:ready")).toBe(1);
    // Timers done leave the index with them.
    const taken = await repo.takeDue(START + 1500, 10);
    expect(taken.map((t) => [t.id, t.payload.groupId]).sort()).toEqual([["signin:-4242:1", TO], ["signin:-77:1", -77]]);
    expect((await repo.ackMany(taken)).sort()).toEqual(["signin:-4242:1", "signin:-77:1"]);
    expect(await redis.zcard("sx:{timers}:by-group")).toBe(0);
  });
});
