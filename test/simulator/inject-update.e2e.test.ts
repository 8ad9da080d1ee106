import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Bot } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSimulator, type Simulator } from "../../tools/simulator/index.js";

let sim: Simulator;
let bot: Bot;

beforeEach(async () => {
  sim = await createSimulator({ limits: false, webhookRetryMs: 20 });
  bot = new Bot(sim.token, { client: { apiRoot: sim.apiRoot, timeoutSeconds: 2 } });
});
afterEach(async () => {
  await sim.close();
});

describe("sim.injectUpdate", () => {
  it("queues the object exactly as given, with the next update_id, after the world's own updates", async () => {
    const alice = sim.user({ first_name: "李明" });
    await sim.startPrivate(alice);
    const junk = { message: { message_id: "seven", chat: null, text: ["/help"] }, extra: { nested: [1, { x: null }] } };
    const { update_id } = sim.injectUpdate({ ...junk, update_id: 999 });
    const updates = (await bot.api.getUpdates({ timeout: 0 })) as unknown as Record<string, unknown>[];
    expect(updates).toHaveLength(2);
    expect(update_id).toBe((updates[0]?.update_id as number) + 1);
    expect(updates[1]).toEqual({ ...junk, update_id });
  });

  it("delivers kinds that allowed_updates leaves out, and unknown kinds", async () => {
    sim.injectUpdate({ chat_member: { status: "banana" } });
    sim.injectUpdate({ made_up_kind: 42 });
    sim.injectUpdate({});
    const updates = (await bot.api.getUpdates({ timeout: 0, allowed_updates: ["message"] })) as unknown as Record<string, unknown>[];
    expect(updates.map((u) => Object.keys(u).filter((k) => k !== "update_id"))).toEqual([["chat_member"], ["made_up_kind"], []]);
  });

  it("posts an injected update to the webhook like any other", async () => {
    const bodies: string[] = [];
    const receiver = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        bodies.push(body);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", () => r()));
    try {
      await bot.api.setWebhook(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`);
      const { update_id } = sim.injectUpdate({ callback_query: { id: 5, data: "x".repeat(10_000) } });
      await sim.waitFor(() => bodies.length === 1);
      expect(JSON.parse(bodies[0] ?? "{}")).toEqual({ callback_query: { id: 5, data: "x".repeat(10_000) }, update_id });
    } finally {
      receiver.close();
    }
  });

  it("an injected press can be answered like a real one; answer resolves with the toast", async () => {
    const injected = sim.injectUpdate({ callback_query: { id: "press-1", from: { first_name: "李明" }, data: "zz:1" } });
    const [update] = (await bot.api.getUpdates({ timeout: 0 })) as unknown as { callback_query: { id: string } }[];
    await bot.api.answerCallbackQuery(update?.callback_query.id ?? "", { text: "stale" });
    expect(await injected.answer).toEqual({ text: "stale" });
    expect(sim.injectUpdate({ callback_query: { id: 7 } }).answer).toBeUndefined();
  });

  it("refuses what is not an object, since Telegram never sends one", () => {
    for (const raw of [null, 7, "update", [1, 2]]) expect(() => sim.injectUpdate(raw)).toThrow(/object/);
  });
});
