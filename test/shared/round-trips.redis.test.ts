import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/shared/logger.js";
import { connectRedis, countRoundTrips, type Redis } from "../../src/shared/redis.js";
import { defineScript } from "../../src/shared/redis-scripts.js";
import { startRedis, type TestRedis } from "../support/redis-server.js";

const logger = createLogger({ level: "silent" });
let server: TestRedis;
let redis: Redis;
let trips = 0;

beforeAll(async () => {
  server = await startRedis();
  redis = await connectRedis(server.url, logger);
  countRoundTrips(redis, (n) => (trips += n));
});
afterAll(async () => {
  await redis?.quit();
  await server?.destroy();
});

/** Round trips made by `act`. */
async function tripsOf(act: () => Promise<unknown>): Promise<number> {
  const before = trips;
  await act();
  return trips - before;
}

const touch = defineScript("test.touch", 2, "redis.call('SET', KEYS[1], ARGV[1]); redis.call('SET', KEYS[2], ARGV[1]); return redis.call('GET', KEYS[1])");

describe("countRoundTrips", () => {
  it("counts a command, and auto-pipelined commands one each", async () => {
    expect(await tripsOf(() => redis.set("rt:a", "1"))).toBe(1);
    expect(await tripsOf(() => Promise.all([redis.get("rt:a"), redis.get("rt:b"), redis.incr("rt:c")]))).toBe(3);
  });

  it("counts a pipeline or a MULTI as one, whatever it holds", async () => {
    expect(await tripsOf(() => redis.pipeline().set("rt:a", "2").get("rt:a").incr("rt:c").exec())).toBe(1);
    expect(await tripsOf(() => redis.multi().set("rt:a", "3").get("rt:a").exec())).toBe(1);
  });

  it("counts a script as one however many commands it runs inside (and its NOSCRIPT retry as the second)", async () => {
    await redis.script("FLUSH");
    expect(await tripsOf(() => touch.run(redis, 2, "rt:x", "rt:y", "v"))).toBe(2);
    expect(await tripsOf(() => touch.run(redis, 2, "rt:x", "rt:y", "w"))).toBe(1);
    expect(await redis.get("rt:y")).toBe("w");
  });
});
