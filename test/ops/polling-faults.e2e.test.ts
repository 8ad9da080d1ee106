import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import pino from "pino";
import { Bot } from "grammy";
import type { Update } from "grammy/types";
import { createUpdateJournal, createUpdatesRepository, startPolling, type Polling } from "../../src/ops/index.js";
import { createSimulator, type Simulator } from "../../tools/simulator/index.js";
import { startRedis, type TestRedis } from "../support/redis-server.js";
import { waitFor } from "../support/wait-for.js";

/*
 * Long polling goes on after a fault of its own (a bug, not Redis or Telegram): the junk-poll bug of issue 11
 * threw inside the loop and stopped polling for good, with the process still up. Real simulator and Redis; the
 * fault is one throw put into the real journal or repository.
 */
let sim: Simulator;
let server: TestRedis;
let redis: Redis;
let polling: Polling | undefined;

beforeAll(async () => {
  sim = await createSimulator({ limits: false, botUsername: "sanxue_polling_bot" });
  server = await startRedis();
  redis = new Redis(server.url, { protocol: 2 });
});
afterEach(async () => {
  await polling?.stop();
  polling = undefined;
});
afterAll(async () => {
  redis?.disconnect();
  await server?.destroy();
  await sim?.close();
});

/** Polls with the real parts; `fault` may replace one of them. Returns the texts handled and the log lines. */
function poll(
  fault: (parts: { updates: ReturnType<typeof createUpdatesRepository>; journal: ReturnType<typeof createUpdateJournal> }) => void,
  ages: { recoverAfterMs?: number; orphanAfterMs?: number } = {},
) {
  const handled: string[] = [];
  const lines: string[] = [];
  const logger = pino({ level: "info" }, { write: (l: string) => void lines.push(l) });
  const updates = createUpdatesRepository(redis, `i-${Date.now()}`);
  const journal = createUpdateJournal({
    updates,
    logger,
    handle: async (u: Update) => void handled.push(u.message?.text ?? ""),
    ...ages,
  });
  fault({ updates, journal });
  const api = new Bot(sim.token, { client: { apiRoot: sim.apiRoot } }).api;
  polling = startPolling({ api, updates, journal, logger, allowedUpdates: ["message"], busyText: "busy" });
  return { handled, lines };
}

describe("long polling after a fault of its own", () => {
  it("a throw while journalling a batch: polling goes on, the batch comes again and is handled once", { timeout: 30_000 }, async () => {
    const { handled, lines } = poll(({ updates }) => {
      const available = updates.available.bind(updates);
      let thrown = false;
      updates.available = () => {
        if (thrown) return available();
        thrown = true;
        throw new Error("a bug");
      };
    });
    const user = sim.user({ first_name: "李<四> & \"五\" 🌾" });
    await sim.send(user, sim.privateChat(user), "第一条");
    await waitFor(() => handled.length > 0, { timeout: 10_000, message: "the first message was never handled" });
    await sim.send(user, sim.privateChat(user), "第二条");
    await waitFor(() => handled.length > 1, { timeout: 10_000, message: "polling stopped after the fault" });
    expect(handled).toEqual(["第一条", "第二条"]);
    expect(lines.some((l) => l.includes("could not take a fetched batch"))).toBe(true);
    expect(polling?.isRunning()).toBe(true);
  });

  it("a throw handing over one update: it is settled as failed, the rest of its batch and later ones are handled", { timeout: 30_000 }, async () => {
    const { handled, lines } = poll(({ journal }) => {
      const dispatch = journal.dispatch;
      let thrown = false;
      journal.dispatch = (update, entryId) => {
        if (thrown) return dispatch(update, entryId);
        thrown = true;
        throw new Error("a bug");
      };
    });
    const user = sim.user({ first_name: "周" });
    const chat = sim.privateChat(user);
    await sim.send(user, chat, "一");
    await sim.send(user, chat, "二");
    await waitFor(() => handled.length > 0, { timeout: 10_000, message: "nothing was handled" });
    await sim.send(user, chat, "三");
    await waitFor(() => handled.includes("三"), { timeout: 10_000, message: "polling stopped after the fault" });
    // The update whose hand-over threw is not handled later, nor left in the journal for ever.
    expect(handled.filter((t) => t === "一" || t === "二")).toHaveLength(1);
    expect(lines.some((l) => l.includes("could not hand over an update"))).toBe(true);
    await waitFor(async () => (await redis.xlen("sx:{upd}:journal")) === 0, { timeout: 5_000, message: "the journal kept an entry" });
  });

  it("a throw journalling a batch: all of it is tried again, none is lost or handled twice", { timeout: 30_000 }, async () => {
    const user = sim.user({ first_name: "吴" });
    const chat = sim.privateChat(user);
    // Queued before polling starts: one batch.
    for (const text of ["甲", "乙", "丙"]) await sim.send(user, chat, text);
    const { handled } = poll(({ updates }) => {
      const acceptMany = updates.acceptMany.bind(updates);
      let calls = 0;
      updates.acceptMany = (batch) => {
        if (++calls === 1) throw new Error("a bug");
        return acceptMany(batch);
      };
    });
    await waitFor(() => handled.length >= 3, { timeout: 10_000, message: "an update of the batch was lost" });
    expect([...handled].sort()).toEqual(["丙", "乙", "甲"].sort());
    await waitFor(async () => (await redis.xlen("sx:{upd}:journal")) === 0, { timeout: 5_000, message: "the journal kept an entry" });
  });

  it("a journal write whose answer was lost (Redis wrote the batch, the retry finds it seen): handled once all the same", { timeout: 30_000 }, async () => {
    const user = sim.user({ first_name: "郑" });
    const chat = sim.privateChat(user);
    for (const text of ["子", "丑"]) await sim.send(user, chat, text);
    const { handled, lines } = poll(
      ({ updates }) => {
        const acceptMany = updates.acceptMany.bind(updates);
        let calls = 0;
        updates.acceptMany = async (batch) => {
          const ids = await acceptMany(batch);
          if (++calls === 1) throw new Error("Connection is closed.");
          return ids;
        };
      },
      // The journal's own entries are handed over at once here, not after a minute.
      { recoverAfterMs: 0, orphanAfterMs: 0 },
    );
    await waitFor(() => handled.length >= 2, { timeout: 15_000, message: "the batch whose journal write lost its answer was never handled" });
    expect([...handled].sort()).toEqual(["丑", "子"].sort());
    expect(lines.some((l) => l.includes("journal write was answered too late"))).toBe(true);
    await waitFor(async () => (await redis.xlen("sx:{upd}:journal")) === 0, { timeout: 5_000, message: "the journal kept an entry" });
    // Nothing is handled a second time by later recoveries.
    await new Promise((r) => setTimeout(r, 5_500));
    expect([...handled].sort()).toEqual(["丑", "子"].sort());
  });
});
