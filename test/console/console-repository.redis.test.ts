import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsoleRepository } from "../../src/console/console.repository.js";
import { createLogger } from "../../src/shared/logger.js";
import { connectRedis, type Redis } from "../../src/shared/redis.js";
import { startRedis, type TestRedis } from "../support/redis-server.js";

let server: TestRedis;
let redis: Redis;

beforeAll(async () => {
  server = await startRedis();
  redis = await connectRedis(server.url, createLogger({ level: "silent" }));
});

afterAll(async () => {
  await redis?.quit();
  await server?.destroy();
});

describe("finished weeks' indices in Redis", () => {
  it("are read back per group, a group never stored reads as missing, and the week's hash expires", async () => {
    const repo = createConsoleRepository(redis);
    expect(await repo.pastIndices("2026-W40", [-100, -200])).toEqual([undefined, undefined]);
    await repo.savePastIndices("2026-W40", new Map([[-100, 37], [-200, 0]]));
    // Another instance (a restart) reads what this one stored.
    const again = createConsoleRepository(redis);
    expect(await again.pastIndices("2026-W40", [-200, -300, -100])).toEqual([0, undefined, 37]);
    expect(await again.pastIndices("2026-W41", [-100])).toEqual([undefined]);
    const ttl = await redis.ttl("sx:console:week-index:2026-W40");
    expect(ttl).toBeGreaterThan(8 * 7 * 86_400);
  });
});
