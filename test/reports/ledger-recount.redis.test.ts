import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COUNTERS, createActivityRepository, recordActivity, type Counter } from "../../src/activity/index.js";
import { groupKey } from "../../src/shared/keys.js";
import { connectRedis, type Redis } from "../../src/shared/redis.js";
import { dayIdAt, weekIdAt } from "../../src/shared/week.js";
import { startRedis, type TestRedis } from "../support/redis-server.js";

let server: TestRedis;
let redis: Redis;
const GROUP = -100_777;
const TZ = "Europe/Berlin"; // a zone with daylight saving: the workload spans the October change

beforeAll(async () => {
  server = await startRedis();
  redis = await connectRedis(server.url, pino({ level: "silent" }));
});

afterAll(async () => {
  redis?.disconnect();
  await server?.destroy();
});

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

describe("the activity ledger", () => {
  it("per-member week counters and day counters equal a recount of the raw event stream after a mixed workload", async () => {
    const activity = createActivityRepository(redis);
    const rand = rng(42);
    const start = Date.parse("2026-10-12T00:00:00Z");
    const span = 5 * 7 * 86_400_000;
    const jobs: Promise<boolean>[] = [];
    for (let i = 0; i < 1500; i++) {
      const userId = 1 + Math.floor(rand() * 25);
      const at = start + Math.floor(rand() * span);
      const kind = Math.floor(rand() * 5);
      const increments: Partial<Record<Counter, number>> =
        kind === 0 ? { lessons_studied: 1 } : kind === 1 ? { signins: 1, ...(rand() < 0.3 ? { signins_late: 1 } : {}) }
          : kind === 2 ? { quiz_answers: 1, ...(rand() < 0.6 ? { quiz_correct: 1, quiz_points: 10 } : {}) }
            : kind === 3 ? { questions_asked: 1 } : { excused: 1 };
      // Studied marks go through a once-set with repeats: double presses and redeliveries.
      const once = kind === 0 ? { key: groupKey(GROUP, "test-studied", Math.floor(rand() * 6)), member: String(userId) } : undefined;
      jobs.push(recordActivity(activity, { groupId: GROUP, timeZone: TZ, userId, at, ref: `test:${i}`, increments, once }));
    }
    const recorded = (await Promise.all(jobs)).filter(Boolean).length;

    const events = await redis.xrange(groupKey(GROUP, "events"), "-", "+");
    expect(events.length).toBe(recorded);
    const weeks = new Map<string, Map<number, Record<string, number>>>();
    const days = new Map<string, Record<string, number>>();
    for (const [, flat] of events) {
      const f: Record<string, string> = {};
      for (let i = 0; i + 1 < flat.length; i += 2) f[flat[i]!] = flat[i + 1]!;
      const at = Number(f.at);
      const uid = Number(f.uid);
      const week = weeks.get(weekIdAt(at, TZ)) ?? new Map<number, Record<string, number>>();
      weeks.set(weekIdAt(at, TZ), week);
      const row = week.get(uid) ?? {};
      week.set(uid, row);
      const day = days.get(dayIdAt(at, TZ)) ?? {};
      days.set(dayIdAt(at, TZ), day);
      for (const c of COUNTERS) {
        if (f[c] === undefined) continue;
        row[c] = (row[c] ?? 0) + Number(f[c]);
        day[c] = (day[c] ?? 0) + Number(f[c]);
      }
    }
    expect(weeks.size).toBeGreaterThanOrEqual(5);
    for (const [weekId, recount] of weeks) {
      const stored = await activity.week(GROUP, weekId);
      expect(Object.fromEntries(stored), weekId).toEqual(Object.fromEntries(recount));
    }
    for (const [dayId, recount] of days) expect(await activity.day(GROUP, dayId), dayId).toEqual(recount);
  });
});
