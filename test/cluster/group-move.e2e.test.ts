import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupKey } from "../../src/shared/keys.js";
import { arrangeActiveGroup, expectMoved, snapshot } from "../support/group-move-scenario.js";
import type { InProcess } from "../support/in-process.js";
import type { TestRedisCluster } from "../support/redis-cluster.js";
import { startAppStage, type AppStage } from "../support/stage.js";

let stage: AppStage<TestRedisCluster>;
let cluster: TestRedisCluster;
let app: InProcess;

beforeAll(async () => {
  stage = await startAppStage({ cluster: true });
  cluster = stage.redis;
  app = await stage.app();
}, 60_000);
afterAll(async () => {
  await stage?.close();
});

/** An old and a new id whose group keys sit on different nodes: the move crosses nodes, not only slots. */
async function idsOnTwoNodes(): Promise<[number, number]> {
  const from = -4_000_000_301;
  const home = await cluster.portOf(groupKey(from, "group"));
  for (let n = 301; n < 400; n++) {
    const to = -(1_002_000_000_000 + n);
    if ((await cluster.portOf(groupKey(to, "group"))) !== home) return [from, to];
  }
  throw new Error("no supergroup id on another node");
}

describe("a group upgraded to a supergroup on a Redis Cluster", () => {
  it("moves every record across nodes (another hash tag), and repeating the move changes nothing", async () => {
    const { services, redis } = app;
    const [from, to] = await idsOnTwoNodes();
    const members: [number, number] = [2_000_301, 2_000_302];
    const { sid } = await arrangeActiveGroup(services, redis, from, members);
    const before = await snapshot(redis, from);
    expect(before.size).toBeGreaterThan(12);

    await services.mover.move(from, to);
    await expectMoved(services, redis, before, from, to, members, sid);
    const once = await snapshot(redis, to);

    await Promise.all([services.mover.move(from, to), services.mover.move(from, to)]);
    expect(await snapshot(redis, to)).toEqual(once);
    await expectMoved(services, redis, before, from, to, members, sid);
  });
});
