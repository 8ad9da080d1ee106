import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Bot } from "grammy";
import { Redis } from "ioredis";
import pino from "pino";
import { createSimulator, type Simulator } from "../../tools/simulator/index.js";
import { ensureWebhook, webhookFingerprint, webhookMatches } from "../../src/ops/index.js";
import { startRedis, type TestRedis } from "../support/redis-server.js";

let sim: Simulator;
let server: TestRedis;
let redis: Redis;
const logger = pino({ level: "silent" });
const wanted = { url: "http://127.0.0.1:9/hook", secret: "s1", allowedUpdates: ["message", "callback_query"] as const };

beforeAll(async () => {
  sim = await createSimulator({ limits: false });
  server = await startRedis();
  redis = new Redis(server.url, { protocol: 2 });
});
afterAll(async () => {
  redis.disconnect();
  await sim.close();
  await server.destroy();
});

const setCalls = () => sim.calls.filter((c) => c.method === "setWebhook").length;

describe("ensureWebhook", () => {
  it("five instances starting at once: one setWebhook", async () => {
    const bots = Array.from({ length: 5 }, () => new Bot(sim.token, { client: { apiRoot: sim.apiRoot } }));
    const results = await Promise.all(bots.map((b, i) => ensureWebhook(b.api, redis, wanted, logger, `i${i}`)));
    expect(setCalls()).toBe(1);
    expect(results.filter((r) => r === "set")).toHaveLength(1);
    expect((await bots[0]?.api.getWebhookInfo())?.url).toBe(wanted.url);
  });

  it("the same configuration again changes nothing; a new secret is set again", async () => {
    const api = new Bot(sim.token, { client: { apiRoot: sim.apiRoot } }).api;
    expect(await ensureWebhook(api, redis, wanted, logger, "later")).toBe("unchanged");
    expect(await ensureWebhook(api, redis, { ...wanted, secret: "s2" }, logger, "later")).toBe("set");
    expect(setCalls()).toBe(2);
  });

  it("matching needs the url, the same allowed updates in any order, and the secret's fingerprint", () => {
    const fp = webhookFingerprint(wanted);
    const info = { url: wanted.url, allowed_updates: ["callback_query", "message"] };
    expect(webhookMatches(info, wanted, fp)).toBe(true);
    expect(webhookMatches({ ...info, url: "http://other/hook" }, wanted, fp)).toBe(false);
    expect(webhookMatches({ ...info, allowed_updates: ["message"] }, wanted, fp)).toBe(false);
    expect(webhookMatches(info, wanted, webhookFingerprint({ ...wanted, secret: "old" }))).toBe(false);
    expect(webhookMatches(info, wanted, null)).toBe(false);
  });
});
