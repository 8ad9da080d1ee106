import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/shared/logger.js";
import { connectRedis, mastersOf, type Redis } from "../../src/shared/redis.js";
import { defineScript, loadScripts } from "../../src/shared/redis-scripts.js";
import { startRedis, type TestRedis } from "../support/redis-server.js";
import { expectedOutcomes, pressAway, scriptCalls } from "../support/script-presses.js";

const logger = createLogger({ level: "silent" });
let server: TestRedis;
let redis: Redis;

beforeAll(async () => {
  server = await startRedis();
  redis = await connectRedis(server.url, logger);
});
afterAll(async () => {
  await redis?.quit();
  await server?.destroy();
});

const stats = async () => scriptCalls(await redis.info("commandstats"));
const members = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

describe("Lua scripts on one Redis server", () => {
  it("sign-in presses and Studied marks send each script's text at most once across many calls", async () => {
    await redis.script("FLUSH");
    await redis.config("RESETSTAT");
    const who = members(1_000, 40);
    const { outcomes, studied, runs } = await pressAway(redis, -100_001, who);
    expect(outcomes).toEqual(expectedOutcomes(who));
    expect(studied.get(1_000)?.lessons_studied).toBe(1);
    const s = await stats();
    // Three scripts (open, sign-in, activity record): their text at most once each, the rest by SHA.
    expect(s.eval).toBeLessThanOrEqual(3);
    expect(s.evalsha).toBeGreaterThanOrEqual(runs);
  });

  it("still works after SCRIPT FLUSH, sending the text again once per script", async () => {
    await pressAway(redis, -100_002, members(2_000, 5));
    await redis.script("FLUSH");
    await redis.config("RESETSTAT");
    const who = members(2_100, 20);
    const { outcomes } = await pressAway(redis, -100_003, who);
    expect(outcomes).toEqual(expectedOutcomes(who));
    expect((await stats()).eval).toBeLessThanOrEqual(3);
  });

  it("still works after Redis restarts (its script cache empty)", async () => {
    await pressAway(redis, -100_004, members(3_000, 3));
    await server.stop();
    await server.start();
    const who = members(3_100, 20);
    // Issued while the client reconnects: it waits in the offline queue, then meets NOSCRIPT.
    const { outcomes, studied } = await pressAway(redis, -100_005, who);
    expect(outcomes).toEqual(expectedOutcomes(who));
    expect(studied.get(3_100)?.lessons_studied).toBe(1);
    expect((await stats()).eval).toBeLessThanOrEqual(3);
  });

  it("runs in flight when the server lacks the script send its text once, not once each", async () => {
    const echo = defineScript("test.echo", 1, "return ARGV[1]");
    await redis.script("FLUSH");
    await redis.config("RESETSTAT");
    // Issued together, as a storm's presses are: every EVALSHA meets NOSCRIPT before the first EVAL returns.
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => echo.run(redis, 1, "sx:{t}:echo", String(i))));
    expect(replies).toEqual(Array.from({ length: 50 }, (_, i) => String(i)));
    expect((await stats()).eval).toBe(1);
  });

  it("connecting puts every declared script on the server, and a reconnect after a restart puts them there again", async () => {
    const declared = defineScript("test.declared", 0, "return 'declared'");
    const fresh = await connectRedis(server.url, logger);
    try {
      const exists = async () => ((await fresh.script("EXISTS", declared.sha)) as number[])[0];
      expect(await exists()).toBe(1);
      await server.stop();
      await server.start();
      await expect.poll(exists, { timeout: 5_000 }).toBe(1);
      await fresh.config("RESETSTAT");
      expect(await declared.run(fresh, 0)).toBe("declared");
      expect(scriptCalls(await fresh.info("commandstats")).eval).toBe(0);
      expect(await loadScripts(mastersOf(fresh))).toBeGreaterThan(10);
    } finally {
      fresh.disconnect();
    }
  });

  it("a script's errors other than NOSCRIPT reach the caller, and its declared key count is enforced", async () => {
    const failing = defineScript("test.failing", 1, "return redis.error_reply('NOPE not today')");
    await expect(failing.run(redis, 1, "sx:{t}:x")).rejects.toThrow(/NOPE/);
    await expect(failing.run(redis, 2, "sx:{t}:x", "sx:{t}:y")).rejects.toThrow(/takes 1 keys/);
  });
});
