import { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createPacingRepository, type BotSlot, type PacingRepository } from "../../src/outbox/index.js";
import { busiestSecond } from "./fanout.js";
import { startRedis, type TestRedis } from "../support/redis-server.js";

/** The bot-wide line's reservations (its Lua script on a real Redis), on a fixed clock the test moves. */
let server: TestRedis;
let redis: Redis;
let now = 0;
let line: PacingRepository;
const START = 1_000_000;

beforeAll(async () => {
  server = await startRedis();
  redis = new Redis(server.url, { protocol: 2 });
  line = createPacingRepository(redis, { now: () => now });
});

beforeEach(async () => {
  await redis.flushall();
  now = START;
});

afterAll(async () => {
  redis?.disconnect();
  await server?.destroy();
});

async function slot(): Promise<BotSlot> {
  const s = await line.reserveBot(30);
  if ("retryMs" in s) throw new Error(`no slot: retry in ${s.retryMs} ms`);
  return s;
}

describe("the bot-wide line", () => {
  it("gives each send the next slot, 1000/30 ms after the one before, without a burst", async () => {
    const waits: number[] = [];
    for (let i = 0; i < 30; i++) waits.push((await slot()).wait);
    expect(waits.slice(0, 4)).toEqual([0, 34, 67, 100]);
    expect(waits[29]).toBe(967);
  });

  it("a 31st send while 30 are unanswered reserves nothing and is told to ask again", async () => {
    const held: BotSlot[] = [];
    for (let i = 0; i < 30; i++) held.push(await slot());
    now = START + 2000; // every slot is past, none answered: Telegram may still be receiving them
    expect(await line.reserveBot(30)).toEqual({ retryMs: 34 });
    await held[0]?.answered();
    // Nothing was reserved by the refused ask: the next slot is now, and the place frees a second after the answer.
    expect((await slot()).wait).toBe(1000);
  });

  it("a place frees a second after Telegram answers, not a second after the slot", async () => {
    const held: BotSlot[] = [];
    for (let i = 0; i < 30; i++) held.push(await slot());
    now = START + 400; // the first send was answered late (400 ms after its slot)
    await held[0]?.answered();
    now = START + 600;
    // A token bucket would give START + 1000 (wait 400): Telegram may have received the first at START + 399.
    expect((await slot()).wait).toBe(800);
  });

  it("after a pause the line starts again when the first place frees, then spaces the sends again", async () => {
    const held: BotSlot[] = [];
    for (let i = 0; i < 30; i++) held.push(await slot());
    now = START + 990;
    for (const s of held.slice(1)) await s.answered(); // each frees at START + 1990
    now = START + 1000;
    await held[0]?.answered(); // frees at START + 2000, after the others
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) waits.push((await slot()).wait);
    expect(waits).toEqual([990, 1024, 1057]);
  });

  it("a hold whose instance died mid-send lapses after a minute", async () => {
    for (let i = 0; i < 30; i++) await slot(); // never answered
    now = START + 30_000;
    expect("retryMs" in (await line.reserveBot(30))).toBe(true);
    now = START + 61_000;
    expect((await slot()).wait).toBe(0);
  });

  it("never lets Telegram receive 31 in any second, however late requests arrive and answers come", async () => {
    // 45 senders at once (two instances' workers and direct sends), each request received 0–400 ms after it is
    // sent and answered 0–400 ms after that: an event simulation on the test's clock.
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const events: { at: number; run: () => Promise<void> }[] = [];
    const at = (t: number, run: () => Promise<void>): void => void events.push({ at: t, run });
    const received: number[] = [];
    let toSend = 900;
    const sender = async (): Promise<void> => {
      if (toSend <= 0) return;
      toSend--;
      const s = await line.reserveBot(30);
      if ("retryMs" in s) {
        toSend++;
        at(now + s.retryMs, sender);
        return;
      }
      const arrives = now + s.wait + Math.floor(random() * 400);
      at(arrives, async () => {
        received.push(now);
        at(now + Math.floor(random() * 400), async () => {
          await s.answered();
          await sender();
        });
      });
    };
    for (let i = 0; i < 45; i++) at(START, sender);
    while (events.length > 0) {
      events.sort((a, b) => a.at - b.at);
      const next = events.shift();
      if (!next) break;
      now = next.at;
      await next.run();
    }
    expect(received).toHaveLength(900);
    expect(busiestSecond(received.sort((a, b) => a - b))).toBeLessThanOrEqual(30);
    // Still close to the floor: 900 at 30/s is 30 s; each place is held for its latency on top of the second.
    expect((received.at(-1) ?? Infinity) - START).toBeLessThan(30_000 * 1.5);
  }, 30_000);
});
