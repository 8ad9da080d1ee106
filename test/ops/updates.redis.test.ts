import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import pino from "pino";
import type { Update } from "grammy/types";
import { Bot } from "grammy";
import {
  createHealth, createMetrics, createOpsServer, createUpdatesRepository, createWebhookReceiver, dedupeUpdates, listen,
} from "../../src/ops/index.js";
import { countRoundTrips } from "../../src/shared/redis.js";
import { startRedis, type TestRedis } from "../support/redis-server.js";

let server: TestRedis;
let redis: Redis;
const logger = pino({ level: "silent" });
let nextId = 1;
const update = (): Update => ({ update_id: nextId++, message: { text: "hi" } }) as unknown as Update;

beforeAll(async () => {
  server = await startRedis();
  redis = new Redis(server.url, { protocol: 2, enableOfflineQueue: false, maxRetriesPerRequest: 0, lazyConnect: true });
  redis.on("error", () => undefined); // the Redis-down test stops it on purpose
  await redis.connect();
});
afterAll(async () => {
  redis.disconnect();
  await server.destroy();
});

describe("the journal", () => {
  it("entries settled in the same turn leave the journal in one round trip, and only they", async () => {
    const counted = new Redis(server.url, { protocol: 2 });
    let trips = 0;
    countRoundTrips(counted, (n) => (trips += n));
    try {
      const repo = createUpdatesRepository(counted, "batch");
      const ids = await Promise.all(Array.from({ length: 5 }, () => repo.accept(nextId++, "{}")));
      const kept = await repo.accept(nextId++, "{}");
      const before = await repo.journalLength();
      trips = 0;
      await Promise.all(ids.map((id) => repo.settle(id as string)));
      expect(trips).toBe(1);
      expect(await repo.journalLength()).toBe(before - 5);
      trips = 0;
      await repo.settle(kept as string);
      expect(trips).toBe(1);
      expect(await repo.journalLength()).toBe(before - 6);
    } finally {
      counted.disconnect();
    }
  });
});

describe("a polled batch's journalling", () => {
  it("claims and journals a batch in one round trip; what another instance holds, or a repeat, is a duplicate", async () => {
    const counted = new Redis(server.url, { protocol: 2 });
    let trips = 0;
    countRoundTrips(counted, (n) => (trips += n));
    try {
      const mine = createUpdatesRepository(counted, "poller");
      const other = createUpdatesRepository(redis, "other");
      const [a, b, c, warm] = [nextId++, nextId++, nextId++, nextId++];
      const held = await other.accept(b, "{}");
      expect(held).not.toBeNull();
      // The first run on a server loads the script (NOSCRIPT, then EVAL): not what is counted.
      const [warmed] = await mine.acceptMany([{ updateId: warm, json: "{}" }]);
      const before = await mine.journalLength();
      const json = JSON.stringify({ update_id: a, message: { text: "李<四> & \"五\" 🌾" } });
      trips = 0;
      const ids = await mine.acceptMany([{ updateId: a, json }, { updateId: b, json: "{}" }, { updateId: c, json: "{}" }, { updateId: a, json }]);
      expect(trips).toBe(1);
      expect(ids[0]).toMatch(/^\d+-\d+$/);
      expect(ids[1]).toBeNull();
      expect(ids[2]).toMatch(/^\d+-\d+$/);
      expect(ids[3]).toBeNull();
      expect(await mine.journalLength()).toBe(before + 2);
      // Entries as `accept` writes them: the update whole, under this instance, taken over once it is gone.
      const [entry] = await redis.xrange("sx:{upd}:journal", ids[0] as string, ids[0] as string);
      expect(entry?.[1]).toEqual(["id", String(a), "by", "poller", "u", json]);
      expect(await redis.get(`sx:{upd}:seen:${a}`)).toBe("poller");
      expect(await mine.acceptMany([])).toEqual([]);
      // Settled, so the takeover test below does not find them (their instances never had a heartbeat).
      await Promise.all([held, warmed, ids[0], ids[2]].map((id) => mine.settle(id as string)));
    } finally {
      counted.disconnect();
    }
  });
});

describe("update claims", () => {
  it("an update_id is claimed once; a redelivery while or after it is handled is a duplicate", async () => {
    const a = createUpdatesRepository(redis, "a");
    const b = createUpdatesRepository(redis, "b");
    await a.heartbeat();
    await b.heartbeat();
    const claims = await Promise.all([a.claim(41), b.claim(41), a.claim(41)]);
    expect(claims.filter((c) => c === "new")).toHaveLength(1);
    await a.done(41);
    expect(await b.claim(41)).toBe("duplicate");
  });

  it("an update claimed by an instance that died before finishing is taken over once", async () => {
    const dead = createUpdatesRepository(redis, "dead");
    const live = createUpdatesRepository(redis, "live");
    await live.heartbeat();
    expect(await dead.claim(42)).toBe("new"); // no heartbeat: "dead" is gone
    expect(await live.claim(42)).toBe("recovered");
    expect(await live.claim(42)).toBe("duplicate");
    expect(await redis.ttl("sx:{upd}:seen:42")).toBeGreaterThan(86_000);
  });
});

describe("dedupe middleware (polling mode)", () => {
  it("the same update handled twice, even at once, reaches the features once", async () => {
    const updates = createUpdatesRepository(redis, "poller");
    await updates.heartbeat();
    const metrics = createMetrics({ defaultMetrics: false });
    const bot = new Bot("123:fake", { botInfo: { id: 123, is_bot: true, first_name: "b", username: "b" } as never });
    let seen = 0;
    bot.use(dedupeUpdates(updates, metrics));
    bot.on("message", () => void seen++);
    const u = { update_id: 5000, message: { message_id: 1, date: 0, chat: { id: 1, type: "private", first_name: "a" }, text: "x" } };
    await Promise.all([bot.handleUpdate(structuredClone(u) as never), bot.handleUpdate(structuredClone(u) as never)]);
    await bot.handleUpdate(structuredClone(u) as never);
    expect(seen).toBe(1);
    expect(await redis.get("sx:{upd}:seen:5000")).toBe("done");
  });
});

describe("webhook receiver", () => {
  async function serve(instance: string, handle: (u: Update) => Promise<void>, opts: { beat?: boolean; orphanAfterMs?: number } = {}) {
    const updates = createUpdatesRepository(redis, instance);
    if (opts.beat !== false) await updates.heartbeat();
    const metrics = createMetrics({ defaultMetrics: false });
    const receiver = createWebhookReceiver({ secret: "s", updates, handle, logger, metrics, recoverAfterMs: 0, orphanAfterMs: opts.orphanAfterMs });
    const health = createHealth({ redis, mode: "webhook", probeApi: async () => true });
    const http = createOpsServer({ health, metrics, logger, webhook: { path: "/hook", request: receiver.request } });
    await listen(http, 0);
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/hook`;
    const post = (u: unknown) =>
      fetch(url, { method: "POST", headers: { "X-Telegram-Bot-Api-Secret-Token": "s" }, body: JSON.stringify(u) }).then((r) => r.status);
    return { updates, receiver, post, close: () => new Promise<void>((r) => http.close(() => r())) };
  }

  it("answers 200 before a slow update is handled, then settles its journal entry", async () => {
    let release: () => void = () => undefined;
    const handled: number[] = [];
    const s = await serve("slow", (u) => new Promise<void>((r) => (release = () => (handled.push(u.update_id), r()))));
    const before = await s.updates.journalLength();
    const u = update();
    expect(await s.post(u)).toBe(200);
    expect(handled).toEqual([]);
    expect(await s.updates.journalLength()).toBe(before + 1);
    release();
    await s.receiver.drain();
    expect(handled).toEqual([u.update_id]);
    expect(await s.updates.journalLength()).toBe(before);
    await s.close();
  });

  it("an update a crashed instance accepted is handled by another one, once", async () => {
    const crashed = await serve("crashed", () => new Promise<void>(() => undefined), { beat: false });
    const u = update();
    expect(await crashed.post(u)).toBe(200);
    await crashed.close();
    const handled: number[] = [];
    const survivor = await serve("survivor", async (x) => void handled.push(x.update_id));
    // Entries younger than a few seconds are left alone; pretend time has passed.
    const taken = await survivor.updates.recover(5_000, Date.now() + 10_000);
    expect(taken.map((t) => (JSON.parse(t.json) as Update).update_id)).toEqual([u.update_id]);
    // Now the survivor's own: not taken over again; handed back as its own only once it is old (see the lost-answer test).
    expect(await survivor.updates.recover(5_000, Date.now() + 10_000, 60_000)).toEqual([]);
    const later = await survivor.updates.recover(5_000, Date.now() + 70_000, 60_000);
    expect(later.map((t) => [(JSON.parse(t.json) as Update).update_id, t.own])).toEqual([[u.update_id, true]]);
    // The redelivered update is a duplicate for everyone.
    expect(await survivor.post(u)).toBe(200);
    await survivor.receiver.drain();
    expect(handled).toEqual([]);
    await survivor.close();
  });

  it("the receiver's own recovery hands the update to the bot", async () => {
    const crashed = createUpdatesRepository(redis, "gone");
    const u = update();
    expect(await crashed.accept(u.update_id, JSON.stringify(u))).not.toBeNull();
    const handled: number[] = [];
    const s = await serve("heir", async (x) => void handled.push(x.update_id));
    expect(await s.receiver.recover()).toBeGreaterThanOrEqual(1);
    await s.receiver.drain();
    expect(handled).toContain(u.update_id);
    await s.close();
  });

  it("an accept whose answer was lost (the retry finds the update seen) is still handled, once, by its own instance", async () => {
    const handled: number[] = [];
    const s = await serve("blip", async (x) => void handled.push(x.update_id), { orphanAfterMs: 0 });
    const u = update();
    // Redis wrote the entry; the reply never came back (the connection dropped), so nobody holds it.
    expect(await s.updates.accept(u.update_id, JSON.stringify(u))).not.toBeNull();
    // The retry (ioredis's resend, or Telegram's redelivery after a 503) finds the update seen.
    expect(await s.post(u)).toBe(200);
    await s.receiver.drain();
    expect(handled).toEqual([]);
    expect(await s.receiver.recover()).toBe(1);
    await s.receiver.drain();
    expect(handled).toEqual([u.update_id]);
    // Settled: neither recovery nor a redelivery handles it again.
    expect(await s.receiver.recover()).toBe(0);
    expect(await s.post(u)).toBe(200);
    await s.receiver.drain();
    expect(handled).toEqual([u.update_id]);
    await s.close();
  });

  it("recovery leaves alone the entries its own instance is handling", async () => {
    let release: () => void = () => undefined;
    const handled: number[] = [];
    const s = await serve("busy", (x) => new Promise<void>((r) => (release = () => (handled.push(x.update_id), r()))), { orphanAfterMs: 0 });
    const u = update();
    expect(await s.post(u)).toBe(200);
    expect(await s.receiver.recover()).toBe(0);
    release();
    await s.receiver.drain();
    expect(await s.receiver.recover()).toBe(0);
    await s.receiver.drain();
    expect(handled).toEqual([u.update_id]);
    await s.close();
  });

  it("with Redis down the answer is 503 (Telegram will resend) and nothing is handled", async () => {
    const handled: number[] = [];
    const s = await serve("down", async (x) => void handled.push(x.update_id));
    await server.stop();
    expect(await s.post(update())).toBe(503);
    await server.start();
    expect(handled).toEqual([]);
    await s.close();
  });
});
