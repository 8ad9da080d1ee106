import { Redis } from "ioredis";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScheduleRepository, createScheduler, type ScheduledGroup } from "../../src/schedule/index.js";
import { groupsServiceFor } from "../support/groups-service.js";
import { manualClock } from "../support/in-process.js";
import { startRedis, type TestRedis } from "../support/redis-server.js";

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

describe("the scheduler's list of groups", () => {
  it("is read whole only when a group changed (any instance), or every five minutes; a change is seen at the next look", async () => {
    const groups = groupsServiceFor(redis);
    const clock = manualClock(Date.parse("2026-11-30T00:00:00Z"));
    let reads = 0;
    const seen: ScheduledGroup[] = [];
    const scheduler = createScheduler({
      repo: createScheduleRepository(redis),
      activeGroups: () => {
        reads++;
        return groups.activeGroupBatches();
      },
      groupsVersion: () => groups.listVersion(),
      // A slot source sees each group as the scheduler keeps it.
      sources: [(g) => (seen.push(g), [])],
      timerHandlers: {},
      clock,
      logger: pino({ level: "silent" }),
      graceMs: 0,
      instanceId: "t",
    });
    await groups.register({ id: -1_009_700_001, type: "supergroup", title: "一村" });
    await scheduler.tick();
    expect(reads).toBe(1);
    for (let i = 0; i < 5; i++) {
      clock.advance(11_000);
      await scheduler.tick();
    }
    expect(reads).toBe(1); // nothing changed: the version is looked at, the list is not read

    // Another instance (its own service over the same Redis) changes a group's time zone.
    await groupsServiceFor(redis).update(-1_009_700_001, { timeZone: "Asia/Urumqi" });
    clock.advance(11_000);
    seen.length = 0;
    await scheduler.tick();
    expect(reads).toBe(2);
    expect(seen.map((g) => g.timeZone)).toEqual(["Asia/Urumqi"]);

    // However still, every five minutes it is read whole again.
    clock.advance(5 * 60_000);
    await scheduler.tick();
    expect(reads).toBe(3);
  });
});
