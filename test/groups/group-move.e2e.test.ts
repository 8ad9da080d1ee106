import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGroupMoveRepository } from "../../src/groups/index.js";
import { groupKey } from "../../src/shared/keys.js";
import { scanKeys } from "../../src/shared/redis.js";
import { arrangeActiveGroup, expectMoved, snapshot } from "../support/group-move-scenario.js";
import type { InProcess } from "../support/in-process.js";
import { startAppStage, type AppStage } from "../support/stage.js";

let stage: AppStage;
let app: InProcess;

beforeAll(async () => {
  stage = await startAppStage();
  app = await stage.app();
});
afterAll(async () => {
  await stage?.close();
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
