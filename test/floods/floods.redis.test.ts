import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFloodsRepository, type FloodLimits, type FloodsRepository } from "../../src/floods/index.js";
import { groupKey } from "../../src/shared/keys.js";
import { startRedis, type TestRedis } from "../support/redis-server.js";
import { waitFor } from "../support/wait-for.js";

let server: TestRedis;
let redis: Redis;
let floods: FloodsRepository;
const GROUP = -1001234;
const limits: FloodLimits = { windowMs: 1500, member: 3, group: 5 };

beforeAll(async () => {
  server = await startRedis();
  redis = new Redis(server.url, { protocol: 2 });
  floods = createFloodsRepository(redis);
});

afterAll(async () => {
  redis?.disconnect();
  await server?.destroy();
});

describe("flood windows on Redis", () => {
  it("a member past their limit is told once per window, then ignored; the group's limit counts everyone", async () => {
    const take = (user: number) => floods.take("command", GROUP, user, limits);
    expect([await take(1), await take(1), await take(1)]).toEqual(["ok", "ok", "ok"]);
    expect(await take(1)).toBe("member-notice");
    expect(await take(1)).toBe("quiet");
    expect([await take(2), await take(2)]).toEqual(["ok", "ok"]);
    expect(await take(3)).toBe("group-notice");
    expect(await take(4)).toBe("quiet");
    // Refused ones are not counted: once the window has passed, the member is back.
    await waitFor(async () => (await redis.exists(groupKey(GROUP, "flood", "command", "m", 1))) === 0);
    expect(await take(1)).toBe("ok");
  });

  it("commands and presses, and private chats, have windows of their own", async () => {
    const group = -1005678;
    for (let i = 0; i < 3; i++) expect(await floods.take("command", group, 9, limits)).toBe("ok");
    expect(await floods.take("press", group, 9, limits)).toBe("ok");
    // In private there is no group limit: only the member's own.
    const privateLimits: FloodLimits = { windowMs: 1500, member: 4, group: 0 };
    for (let i = 0; i < 4; i++) expect(await floods.take("command", 9, 9, privateLimits)).toBe("ok");
    expect(await floods.take("command", 9, 9, privateLimits)).toBe("member-notice");
  });
});
