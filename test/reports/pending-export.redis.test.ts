import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReportsRepository, type ReportsRepository } from "../../src/reports/index.js";
import { PENDING_EXPORT_TTL_MS } from "../../src/reports/reports.repository.js";
import { connectRedis, type Redis } from "../../src/shared/redis.js";
import { startRedis, type TestRedis } from "../support/redis-server.js";

// An /export waiting for its organiser's Start: theirs alone, taken once, and gone after a day.
let server: TestRedis;
let redis: Redis;
let repo: ReportsRepository;
const GROUP = -100_777;

beforeAll(async () => {
  server = await startRedis();
  redis = await connectRedis(server.url, pino({ level: "silent" }));
  repo = createReportsRepository(redis);
});

afterAll(async () => {
  redis?.disconnect();
  await server?.destroy();
});

describe("pending exports", () => {
  it("are kept for the organiser who asked only, and expire", async () => {
    await repo.savePendingExport(GROUP, 11, 3);
    expect(await repo.takePendingExport(GROUP, 12)).toBeUndefined();
    const keys = await redis.keys("*reports:export*");
    expect(keys).toHaveLength(1);
    const ttl = await redis.pttl(keys[0]!);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(PENDING_EXPORT_TTL_MS);
  });

  it("are taken once: a second Start finds nothing", async () => {
    await repo.savePendingExport(GROUP, 21, 4);
    expect(await repo.takePendingExport(GROUP, 21)).toBe(4);
    expect(await repo.takePendingExport(GROUP, 21)).toBeUndefined();
  });

  it("a newer /export replaces the weeks asked for", async () => {
    await repo.savePendingExport(GROUP, 31, 4);
    await repo.savePendingExport(GROUP, 31, 1);
    expect(await repo.takePendingExport(GROUP, 31)).toBe(1);
  });
});
