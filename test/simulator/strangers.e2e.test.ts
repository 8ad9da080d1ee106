import type { Bot } from "grammy";
import { describe, expect, it } from "vitest";
import type { Simulator } from "../../tools/simulator/index.js";
import { simulatorEachTest } from "../support/simulator-each.js";

// What the roster checks rely on: Telegram tells a bot who is in a group, and a poll's answers name no chat.
let sim: Simulator;
let bot: Bot;

simulatorEachTest((world) => ({ sim, bot } = world));

describe("strangers and group members", () => {
  it("getChatMember says 'member' for a member, 'left' for someone never in the group and for someone who left", async () => {
    const admin = sim.user({ first_name: "王书记" });
    const member = sim.user({ first_name: "李明" });
    const leaver = sim.user({ first_name: "赵四" });
    const stranger = sim.user({ first_name: "路人甲" });
    const group = sim.group({ title: "红星村学习群", admins: [admin], members: [member, leaver] });
    sim.addBot(group, { by: admin, asAdmin: true });
    sim.leave(group, leaver);
    expect((await bot.api.getChatMember(group.id, member.id)).status).toBe("member");
    expect((await bot.api.getChatMember(group.id, stranger.id)).status).toBe("left");
    expect((await bot.api.getChatMember(group.id, leaver.id)).status).toBe("left");
  });

  it("a stranger's answer to a group's poll (a forwarded copy) reaches the bot as a poll_answer naming only the poll and the stranger", async () => {
    const admin = sim.user({ first_name: "王书记" });
    const stranger = sim.user({ first_name: "路人甲" });
    const group = sim.group({ title: "红星村学习群", admins: [admin] });
    sim.addBot(group, { by: admin, asAdmin: true });
    const sent = await bot.api.sendPoll(group.id, "买种子要看什么？", [{ text: "标签" }, { text: "颜色" }], { type: "quiz", is_anonymous: false, correct_option_ids: [0] });
    await sim.answerPoll(stranger, sent.poll?.id ?? "", [0]);
    const updates = await bot.api.getUpdates({ timeout: 0, allowed_updates: ["poll_answer"] });
    const answer = updates.find((u) => u.poll_answer)?.poll_answer;
    expect(answer).toEqual({ poll_id: sent.poll?.id, user: expect.objectContaining({ id: stranger.id }), option_ids: [0] });
    expect((await bot.api.getChatMember(group.id, stranger.id)).status).toBe("left");
  });
});
