import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pino from "pino";
import { Redis } from "ioredis";
import { createScheduleRepository, createScheduler, type TimerEntry, type TimerHandler } from "../../src/schedule/index.js";
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

function schedulerWith(clock: { now(): number }, handlers: Record<string, TimerHandler>, leaseRenewMs?: number) {
  return createScheduler({
    ...(leaseRenewMs ? { leaseRenewMs } : {}),
    repo: createScheduleRepository(redis),
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
