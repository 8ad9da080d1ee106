import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGroupMoveRepository } from "../../src/groups/index.js";
import { groupKey } from "../../src/shared/keys.js";
import { scanKeys } from "../../src/shared/redis.js";
import { createSimulator, type Simulator } from "../../tools/simulator/index.js";
import { arrangeActiveGroup, expectMoved, snapshot } from "../support/group-move-scenario.js";
import { buildServices } from "../support/in-process.js";
import { startRedis, type TestRedis } from "../support/redis-server.js";

let server: TestRedis;
let sim: Simulator;
let app: Awaited<ReturnType<typeof buildServices>>;

beforeAll(async () => {
  server = await startRedis();
  sim = await createSimulator({ limits: false });
  app = await buildServices({ sim, redisUrl: server.url, clock: { now: () => Date.now() } });
});
afterAll(async () => {
  await app?.close();
  await sim?.close();
  await server?.destroy();
});

describe("a group upgraded to a supergroup (one Redis server)", () => {
  it("keeps every kind of record under the new id, and a second move changes nothing", async () => {
    const { services, redis } = app;
    const [from, to] = [-4_000_000_101, -1_002_000_000_101];
    const members: [number, number] = [2_000_101, 2_000_102];
    const { sid } = await arrangeActiveGroup(services, redis, from, members);
    const before = await snapshot(redis, from);
    expect(before.size).toBeGreaterThan(12);

    await services.mover.move(from, to);
    await expectMoved(services, redis, before, from, to, members, sid);
    const once = await snapshot(redis, to);

    await services.mover.move(from, to);
    await Promise.all([services.mover.move(from, to), services.mover.move(from, to)]);
    expect(await snapshot(redis, to)).toEqual(once);
    await expectMoved(services, redis, before, from, to, members, sid);
  });

  it("an interrupted move (keys half copied) is finished by the next attempt, and the old id never registers again", async () => {
    const { services, redis } = app;
    const [from, to] = [-4_000_000_201, -1_002_000_000_201];
    const members: [number, number] = [2_000_201, 2_000_202];
    const { sid } = await arrangeActiveGroup(services, redis, from, members);
    const before = await snapshot(redis, from);
    // The first attempt died right after copying: nothing else happened yet.
    await createGroupMoveRepository(redis).copyKeys(from, to);
    expect(await scanKeys(redis, `${groupKey(from)}:*`)).not.toEqual([]);

    await services.mover.move(from, to);

    await expectMoved(services, redis, before, from, to, members, sid);
    const again = await services.groups.register({ id: from, type: "group", title: "红星村" });
    expect(again.group.id).toBe(to);
    expect(await services.groups.activeIds()).not.toContain(from);
    expect(await redis.exists(groupKey(from, "group"))).toBe(0);
  });
});
