import { Bot } from "grammy";
import type { Message } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSimulator, type Simulator } from "../../tools/simulator/index.js";

// What an author's client sends: formatted text, a photo, a quiz made with the poll composer.
let sim: Simulator;
let bot: Bot;

beforeEach(async () => {
  sim = await createSimulator({ limits: false });
  bot = new Bot(sim.token, { client: { apiRoot: sim.apiRoot } });
});
afterEach(async () => {
  await sim.close();
});

async function nextMessage(): Promise<Message> {
  const updates = await bot.api.getUpdates({ timeout: 1 });
  const last = updates.at(-1);
  if (!last?.message) throw new Error("no message update");
  await bot.api.getUpdates({ offset: last.update_id + 1, timeout: 0 });
  return last.message;
}

describe("a user composing in Telegram", () => {
  it("a message's formatting arrives as entities beside the ones Telegram detects", async () => {
    const alice = sim.user({ first_name: "李明" });
    await sim.send(alice, sim.privateChat(alice), "粗体 and @someone_here", { entities: [{ type: "bold", offset: 0, length: 2 }] });
    const m = await nextMessage();
    expect(m.entities).toEqual([
      { type: "bold", offset: 0, length: 2 },
      { type: "mention", offset: 7, length: 13 },
    ]);
  });

  it("a quiz from the composer tells the bot its right option and explanation in the private chat", async () => {
    const alice = sim.user({ first_name: "李明" });
    await sim.sendPoll(alice, sim.privateChat(alice), { question: "几点？", options: ["一", "二", "三"], correct_option_id: 2, explanation: "因为三" });
    const m = await nextMessage();
    expect(m.poll).toMatchObject({ type: "quiz", question: "几点？", correct_option_id: 2, explanation: "因为三", is_closed: false });
    expect(m.poll?.options.map((o) => o.text)).toEqual(["一", "二", "三"]);
  });

  it("in a group the open quiz keeps its right option from the bot", async () => {
    const alice = sim.user({ first_name: "李明" });
    const group = sim.group({ title: "群", members: [alice] });
    sim.addBot(group, { by: alice, asAdmin: true });
    await bot.api.getUpdates({ offset: -1, timeout: 0 }).then((u) => bot.api.getUpdates({ offset: (u.at(-1)?.update_id ?? 0) + 1, timeout: 0 }));
    await sim.sendPoll(alice, group, { question: "Q?", options: ["a", "b"], correct_option_id: 0 });
    const m = await nextMessage();
    expect(m.poll?.type).toBe("quiz");
    expect(m.poll).not.toHaveProperty("correct_option_id");
  });

  it("the composer's checks: a quiz without its right option is not sent", async () => {
    const alice = sim.user({ first_name: "李明" });
    await expect(sim.sendPoll(alice, sim.privateChat(alice), { question: "Q?", options: ["a", "b"] })).rejects.toThrow(/right option/);
    await expect(sim.sendPoll(alice, sim.privateChat(alice), { question: "Q?", options: ["a"], correct_option_id: 0 })).rejects.toThrow(/2 to 10/);
  });

  it("a photo with a formatted caption carries caption_entities", async () => {
    const alice = sim.user({ first_name: "李明" });
    await sim.sendPhoto(alice, sim.privateChat(alice), { caption: "看图", entities: [{ type: "italic", offset: 0, length: 2 }] });
    const m = await nextMessage();
    expect(m.photo?.length).toBe(2);
    expect(m.caption_entities).toEqual([{ type: "italic", offset: 0, length: 2 }]);
  });
});
