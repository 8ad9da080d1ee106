import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSigninsRepository, type SigninsRepository } from "../../src/signins/index.js";
import { PENDING_LIST_TTL_MS } from "../../src/signins/signins.repository.js";
import { handoffKeyboard, handoffPayload, parseHandoff } from "../../src/shared/private-handoff.js";
import { connectRedis, type Redis } from "../../src/shared/redis.js";
import { startRedis, type TestRedis } from "../support/redis-server.js";

// The one deep-link shape every private hand-off uses, and a kept sign-in list: a week, in the group's slot, once.
let server: TestRedis;
let redis: Redis;
let repo: SigninsRepository;
const GROUP = -100_4242;

beforeAll(async () => {
  server = await startRedis();
  redis = await connectRedis(server.url, pino({ level: "silent" }));
  repo = createSigninsRepository(redis);
});

afterAll(async () => {
  redis?.disconnect();
  await server?.destroy();
});

describe("private hand-off links", () => {
  it("round-trip their kind, group and id, and refuse anything else", () => {
    expect(parseHandoff("signins", handoffPayload("signins", GROUP, 7))).toEqual({ groupId: GROUP, id: 7 });
    expect(parseHandoff("export", handoffPayload("export", GROUP))).toEqual({ groupId: GROUP });
    expect(parseHandoff("me", handoffPayload("secretaries", GROUP))).toBeUndefined();
    expect(parseHandoff("me", "me_")).toBeUndefined();
    expect(parseHandoff("me", "me_12x")).toBeUndefined();
    expect(parseHandoff("me", `me_${"9".repeat(21)}`)).toBeUndefined();
    expect(handoffPayload("signins", -1_001_234_567_890, 123_456).length).toBeLessThanOrEqual(64);
    expect(handoffKeyboard("bot", "me_1", "Go").inline_keyboard[0]?.[0]).toEqual({ text: "Go", url: "https://t.me/bot?start=me_1" });
  });

  it("keep a sign-in list under the group's hash tag for a week, and give it out once", async () => {
    await repo.keepPendingList(GROUP, 3, '{"x":1}');
    const keys = await redis.keys("*pending-list*");
    expect(keys).toEqual([`sx:{g${GROUP}}:signins:pending-list:3`]);
    const ttl = await redis.pttl(keys[0] ?? "");
    expect(ttl).toBeGreaterThan(PENDING_LIST_TTL_MS - 60_000);
    expect(ttl).toBeLessThanOrEqual(PENDING_LIST_TTL_MS);
    const both = await Promise.all([repo.takePendingList(GROUP, 3), repo.takePendingList(GROUP, 3)]);
    expect(both.filter((v) => v !== undefined)).toEqual(['{"x":1}']);
  });
});
