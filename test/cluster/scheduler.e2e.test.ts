import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pino from "pino";
import type { SimChat, Simulator } from "../../tools/simulator/index.js";
import { Queue, Worker } from "bullmq";
import { connectRedis, newRedisClient, type RedisClient } from "../../src/shared/redis.js";
import { createScheduleRepository, createScheduler, type TimerEntry } from "../../src/schedule/index.js";
import { parseConfig } from "../../src/config/config.js";
import { groupKey } from "../../src/shared/keys.js";
import type { TestRedisCluster } from "../support/redis-cluster.js";
import { drained, manualClock, tickUntilIdle } from "../support/in-process.js";
import { startAppStage, type AppStage } from "../support/stage.js";
import { groupWithBot, lessonsIn as lessonsInChat } from "../support/sim-groups.js";
import { keySlot } from "../support/key-slot.js";
import { waitFor } from "../support/wait-for.js";

// Monday 2026-11-30 20:00 in Shanghai is 12:00 UTC: the fixture's constitution slot.
const SLOT = Date.parse("2026-11-30T12:00:00Z");
const BEFORE = SLOT - 3 * 86_400_000;
const silent = pino({ level: "silent" });

let stage: AppStage<TestRedisCluster>;
let sim: Simulator;
let cluster: TestRedisCluster;
let redis: RedisClient;

beforeAll(async () => {
  stage = await startAppStage({ cluster: true });
  ({ sim, redis: cluster } = stage);
  const target = parseConfig({ REDIS_URL: cluster.url }, { requireToken: false }).redisCluster;
  if (!target) throw new Error("redis+cluster:// did not parse as a cluster");
  redis = await connectRedis(target, silent);
});
afterAll(async () => {
  await redis?.quit();
  await stage?.close();
});

const newGroup = async (title: string): Promise<SimChat> => groupWithBot(sim, title);
const lessonsIn = (group: SimChat) => lessonsInChat(sim, group);

/** New groups until their keys sit on every node of the cluster. */
async function groupsOnEveryNode(prefix: string): Promise<SimChat[]> {
  const groups: SimChat[] = [];
  const ports = new Set<number>();
  while (ports.size < cluster.ports.length || groups.length < 6) {
    const g = await newGroup(`${prefix}${groups.length + 1}村`);
    groups.push(g);
    ports.add(await cluster.portOf(groupKey(g.id, "group")));
    if (groups.length > 60) throw new Error("group keys never reached every node");
  }
  return groups;
}

function timerScheduler(instanceId: string, fired: string[]) {
  return createScheduler({
    repo: createScheduleRepository(redis),
    activeGroups: async () => [],
    sources: [],
    timerHandlers: { probe: async (t: TimerEntry) => void fired.push(t.id) },
    clock: { now: () => Date.now() },
    logger: silent,
    graceMs: 0,
    instanceId,
  });
}

describe("the scheduler on a Redis Cluster", () => {
  it("two instances racing push each group's slot exactly once, groups spread over all three nodes", async () => {
    const clock = manualClock(BEFORE);
    const a = await stage.app({ clock, instanceId: "a" });
    const b = await stage.app({ clock, instanceId: "b" });
    const groups = await groupsOnEveryNode("集群");
    for (const g of groups) await a.services.groups.register({ id: g.id, type: "supergroup", title: g.title ?? "" });

    clock.set(SLOT + 2000);
    const results = await Promise.all([a.services.scheduler.tick(), b.services.scheduler.tick(), a.services.scheduler.tick(), b.services.scheduler.tick()]);
    expect(results.reduce((n, r) => n + r.slots, 0)).toBe(groups.length);
    await drained(a.services);
    for (const g of groups) {
      expect(lessonsIn(g)).toHaveLength(1);
      expect(lessonsIn(g)[0]?.text).toContain("党员的义务");
    }

    // The push set each group's quiz timer (quiz_after_minutes: 60); racing ticks send each quiz once. A tick runs
    // timers within its time budget and gives back what it had no time for: the ticks after the race take those.
    clock.set(SLOT + 2000 + 61 * 60_000);
    const later = await Promise.all([a.services.scheduler.tick(), b.services.scheduler.tick(), a.services.scheduler.tick()]);
    const rest = await tickUntilIdle(a.services);
    expect(later.reduce((n, r) => n + r.timers, 0) + rest.timers).toBe(groups.length);
    for (const g of groups) expect(sim.botMessages(g).filter((m) => m.poll)).toHaveLength(1);
    await a.close();
    await b.close();
  });

  it("timers: each due timer is taken by exactly one of two racing instances; cancelled and future ones wait", async () => {
    const repo = createScheduleRepository(redis);
    const now = Date.now();
    const ids = Array.from({ length: 60 }, (_, i) => `probe:${i}`);
    for (const id of ids) await repo.setTimer({ id, kind: "probe", at: now - 1000, payload: { id } });
    await repo.setTimer({ id: "probe:cancelled", kind: "probe", at: now - 1000, payload: {} });
    await repo.cancelTimer("probe:cancelled");
    await repo.setTimer({ id: "probe:future", kind: "probe", at: now + 3600_000, payload: {} });

    const fired: string[] = [];
    const [x, y] = [timerScheduler("x", fired), timerScheduler("y", fired)];
    await Promise.all([x.tick(now), y.tick(now), x.tick(now), y.tick(now)]);
    // What a tick's time budget gave back untried (a loaded machine), the next ticks take.
    await tickUntilIdle({ scheduler: x });
    expect([...fired].sort()).toEqual([...ids].sort());
    expect(fired).not.toContain("probe:cancelled");
    expect(fired).not.toContain("probe:future");
  });

  it("timers stored under the old keys (before they shared a slot) are moved and fire once", async () => {
    // The old layout: `sx:timers` and `sx:timers:payload`, each in its own slot: one MULTI over them is refused.
    expect(keySlot("sx:timers")).not.toBe(keySlot("sx:timers:payload"));
    await expect(redis.multi().zadd("sx:timers", 1, "x").hset("sx:timers:payload", "x", "{}").exec()).rejects.toThrow(/CROSSSLOT|same slot/);
    const now = Date.now();
    await redis.hset("sx:timers:payload", "probe:old", JSON.stringify({ kind: "probe", payload: {} }));
    await redis.zadd("sx:timers", now - 5000, "probe:old");
    const fired: string[] = [];
    await Promise.all([timerScheduler("p", fired).tick(now), timerScheduler("q", fired).tick(now)]);
    expect(fired).toEqual(["probe:old"]);
    expect(await redis.exists("sx:timers")).toBe(0);
    expect(await redis.exists("sx:timers:payload")).toBe(0);
  });
});

describe("a second connection on the cluster", () => {
  it("newRedisClient serves BullMQ when the queue prefix is a hash tag", async () => {
    const target = parseConfig({ REDIS_CLUSTER_NODES: cluster.nodes }, { requireToken: false }).redisCluster;
    if (!target) throw new Error("REDIS_CLUSTER_NODES did not parse as a cluster");
    const options = { maxRetriesPerRequest: null, enableOfflineQueue: true };
    const [qc, wc] = [newRedisClient(target, options), newRedisClient(target, options)];
    const queue = new Queue("probe", { connection: qc, prefix: "{sx-outbox}" });
    const done: unknown[] = [];
    const worker = new Worker("probe", async (job) => void done.push(job.data), { connection: wc, prefix: "{sx-outbox}" });
    try {
      await queue.add("send", { n: 1 });
      await queue.add("send", { n: 2 });
      await waitFor(() => done.length >= 2, { message: "both jobs done" });
      expect(done).toEqual([{ n: 1 }, { n: 2 }]);
    } finally {
      await worker.close();
      await queue.close();
      qc.disconnect();
      wc.disconnect();
    }
  });
});
