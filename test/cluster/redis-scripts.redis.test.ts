import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/config.js";
import { groupKey } from "../../src/shared/keys.js";
import { createLogger } from "../../src/shared/logger.js";
import { connectRedis, type RedisClient } from "../../src/shared/redis.js";
import { startRedisCluster, type TestRedisCluster } from "../support/redis-cluster.js";
import { expectedOutcomes, pressAway, scriptCalls } from "../support/script-presses.js";

const logger = createLogger({ level: "silent" });
let cluster: TestRedisCluster;
let redis: RedisClient;

beforeAll(async () => {
  cluster = await startRedisCluster();
  const target = parseConfig({ REDIS_URL: cluster.url }, { requireToken: false }).redisCluster;
  if (!target) throw new Error("redis+cluster:// did not parse as a cluster");
  redis = await connectRedis(target, logger);
}, 60_000);
afterAll(async () => {
  await redis?.quit();
  await cluster?.destroy();
});

const everyNode = (...args: string[]) => Promise.all(cluster.ports.map((_, i) => cluster.cli(i, ...args)));
const perNode = async () => (await everyNode("INFO", "commandstats")).map(scriptCalls);
const members = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

/** One group id per node, so every node serves some of the presses. */
async function groupOnEachNode(from: number): Promise<number[]> {
  const byPort = new Map<number, number>();
  for (let g = from; byPort.size < cluster.ports.length && g > from - 200; g--) {
    const port = await cluster.portOf(groupKey(g, "signin", "open"));
    if (!byPort.has(port)) byPort.set(port, g);
  }
  if (byPort.size < cluster.ports.length) throw new Error("no group id found for some node");
  return [...byPort.values()];
}

async function pressOnEveryNode(groups: number[], firstMember: number) {
  for (const [i, g] of groups.entries()) {
    const who = members(firstMember + i * 100, 15);
    const { outcomes } = await pressAway(redis, g, who);
    expect(outcomes).toEqual(expectedOutcomes(who));
  }
}

describe("Lua scripts on a three-node Redis Cluster", () => {
  it("each node receives a script's text at most once across many presses, then runs it by SHA", async () => {
    const groups = await groupOnEachNode(-200_001);
    await everyNode("SCRIPT", "FLUSH");
    await everyNode("CONFIG", "RESETSTAT");
    await pressOnEveryNode(groups, 10_000);
    for (const s of await perNode()) {
      expect(s.eval).toBeLessThanOrEqual(3);
      expect(s.evalsha).toBeGreaterThanOrEqual(1 + 15 * 4);
    }
  });

  it("still works after SCRIPT FLUSH on every node, loading each script again once per node", async () => {
    const groups = await groupOnEachNode(-300_001);
    await everyNode("SCRIPT", "FLUSH");
    await everyNode("CONFIG", "RESETSTAT");
    await pressOnEveryNode(groups, 20_000);
    for (const s of await perNode()) expect(s.eval).toBeLessThanOrEqual(3);
  });
});
