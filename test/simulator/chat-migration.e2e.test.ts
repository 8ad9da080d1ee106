import { Bot, GrammyError } from "grammy";
import type { Update } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSimulator, type Simulator } from "../../tools/simulator/index.js";

let sim: Simulator;
let bot: Bot;

beforeEach(async () => {
  sim = await createSimulator({ limits: false });
  bot = new Bot(sim.token, { client: { apiRoot: sim.apiRoot, timeoutSeconds: 2 } });
});
afterEach(async () => {
  await sim.close();
});

async function drainUpdates(): Promise<Update[]> {
  return bot.api.getUpdates({ timeout: 0 });
}

describe("a basic group upgraded to a supergroup", () => {
  it("gets a -100 id, keeps members and bot rights, and both service messages reach the bot", async () => {
    const admin = sim.user({ first_name: "王书记" });
    const member = sim.user({ first_name: "李明" });
    const group = sim.group({ title: "红星村", type: "group", admins: [admin], members: [member] });
    sim.addBot(group, { by: admin, asAdmin: true });
    const seen = (await drainUpdates()).map((u) => u.update_id);

    const supergroup = sim.upgradeToSupergroup(group, { by: admin });

    expect(supergroup.type).toBe("supergroup");
    expect(String(supergroup.id)).toMatch(/^-100\d{10}$/);
    expect(supergroup.title).toBe("红星村");
    const updates = (await bot.api.getUpdates({ offset: Math.max(...seen) + 1, timeout: 0 })).map((u) => u.message);
    expect(updates[0]).toMatchObject({ chat: { id: group.id, type: "group" }, from: { id: admin.id }, migrate_to_chat_id: supergroup.id });
    expect(updates[1]).toMatchObject({
      chat: { id: supergroup.id, type: "supergroup" },
      sender_chat: { id: supergroup.id },
      migrate_from_chat_id: group.id,
    });
    expect((await bot.api.getChatMember(supergroup.id, sim.bot.id)).status).toBe("administrator");
    expect((await bot.api.getChatMember(supergroup.id, member.id)).status).toBe("member");
    expect((await bot.api.getChatMember(supergroup.id, admin.id)).status).toBe("creator");
    await bot.api.sendMessage(supergroup.id, "你好");
    expect(sim.botMessages(supergroup).map((m) => m.text)).toEqual(["你好"]);
  });

  it("answers later sends to the old id with 400 and parameters.migrate_to_chat_id", async () => {
    const admin = sim.user({ first_name: "王书记" });
    const group = sim.group({ title: "红星村", type: "group", admins: [admin] });
    sim.addBot(group, { by: admin });
    await bot.api.sendMessage(group.id, "before");
    const supergroup = sim.upgradeToSupergroup(group, { by: admin });

    const err = await bot.api.sendMessage(group.id, "after").then(() => undefined, (e: unknown) => e);

    expect(err).toBeInstanceOf(GrammyError);
    expect((err as GrammyError).error_code).toBe(400);
    expect((err as GrammyError).description).toBe("Bad Request: group chat was upgraded to a supergroup chat");
    expect((err as GrammyError).parameters.migrate_to_chat_id).toBe(supergroup.id);
    const poll = await bot.api.sendPoll(group.id, "q", [{ text: "a" }, { text: "b" }]).then(() => undefined, (e: unknown) => e);
    expect((poll as GrammyError).parameters.migrate_to_chat_id).toBe(supergroup.id);
    expect(sim.botMessages(group).map((m) => m.text)).toEqual(["before"]);
    expect(() => sim.upgradeToSupergroup(group, { by: admin })).toThrow(/already upgraded/);
  });

  it("can be driven from another process: POST /_sim/upgrade", async () => {
    const admin = sim.user({ first_name: "王书记" });
    const group = sim.group({ title: "东街村", type: "group", admins: [admin] });
    sim.addBot(group, { by: admin });
    const res = await fetch(`${sim.apiRoot}/_sim/upgrade`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ chat: group.id, by: admin.id }),
    });
    const chat = (await res.json()) as { id: number; type: string };
    expect(chat.type).toBe("supergroup");
    expect(sim.state.chats.get(group.id)?.migratedTo).toBe(chat.id);
  });
});
