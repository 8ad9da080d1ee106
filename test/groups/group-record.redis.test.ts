import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupsServiceFor } from "../support/groups-service.js";
import { startRedis, type TestRedis } from "../support/redis-server.js";

let server: TestRedis;
let redis: Redis;

beforeAll(async () => {
  server = await startRedis();
  redis = new Redis(server.url, { protocol: 2 });
});
afterAll(async () => {
  await redis?.quit();
  await server?.destroy();
});

// One bot instance's groups service; registration and settings changes never call Telegram.
const service = () => groupsServiceFor(redis);

describe("a group's record", () => {
  it("keeps every one of many settings changes made at the same moment by different instances", async () => {
    const a = service();
    const b = service();
    await a.register({ id: -1001, type: "supergroup", title: "并发村" });
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => [
        a.update(-1001, { locale: "en" }),
        b.update(-1001, { timeZone: "Europe/Berlin" }),
        a.update(-1001, { tracksOff: ["policy"] }),
        b.update(-1001, { topicId: 40 + i }),
        a.update(-1001, { title: "并发村 2" }),
      ]).flat(),
    );
    const g = await a.get(-1001);
    expect(g).toMatchObject({ locale: "en", timeZone: "Europe/Berlin", tracksOff: ["policy"], title: "并发村 2", active: true });
    expect(g?.topicId).toBeGreaterThanOrEqual(40);
  });

  it("deactivating and changing at once leaves it inactive, out of the active index, with the change", async () => {
    const a = service();
    const b = service();
    await a.register({ id: -1002, type: "supergroup", title: "退出村" });
    await Promise.all([a.deactivate(-1002), b.update(-1002, { locale: "en" })]);
    expect(await a.get(-1002)).toMatchObject({ active: false, locale: "en" });
    expect(await a.activeIds()).not.toContain(-1002);
  });

  it("an update of a group never seen changes nothing", async () => {
    expect(await service().update(-999, { locale: "en" })).toBeUndefined();
    expect(await redis.exists("sx:{g-999}:group")).toBe(0);
  });
});
