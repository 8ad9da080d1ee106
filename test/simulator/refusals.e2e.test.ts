import { InputFile, type Bot } from "grammy";
import { describe, expect, it } from "vitest";
import type { Simulator } from "../../tools/simulator/index.js";
import { simulatorEachTest } from "../support/simulator-each.js";
import { refusal } from "../support/refusal.js";

let sim: Simulator;
let bot: Bot;

simulatorEachTest((world) => ({ sim, bot } = world));

const photo = () => new InputFile(Buffer.from("not really a jpeg"), "p.jpg");

describe("what Telegram refuses", () => {
  it("a bot that is a plain member cannot send photos where members may not; an administrator can", async () => {
    const alice = sim.user({ first_name: "李明" });
    const group = sim.group({ title: "红星村", admins: [alice] });
    sim.addBot(group, { by: alice });
    sim.setChatPermissions(group, { can_send_photos: false });
    const err = await refusal(bot.api.sendPhoto(group.id, photo()));
    expect(err.error_code).toBe(400);
    expect(err.description).toBe("Bad Request: not enough rights to send photos to the chat");
    expect((await bot.api.sendMessage(group.id, "text still goes")).text).toBe("text still goes");
    sim.addBot(group, { by: alice, asAdmin: true });
    expect((await bot.api.sendPhoto(group.id, photo())).photo).toBeDefined();
  });

  it("a closed topic refuses a bot without can_manage_topics with TOPIC_CLOSED; reopened, it accepts", async () => {
    const alice = sim.user({ first_name: "李明" });
    const forum = sim.group({ title: "话题群", is_forum: true, admins: [alice] });
    sim.addBot(forum, { by: alice, asAdmin: true });
    const topic = await bot.api.createForumTopic(forum.id, "课堂");
    const thread = topic.message_thread_id;
    sim.closeTopic(forum, thread, alice);
    // An administrator who manages topics may still write into a closed one.
    expect((await bot.api.sendMessage(forum.id, "admins may", { message_thread_id: thread })).message_thread_id).toBe(thread);
    sim.setBotRights(forum, { can_manage_topics: false });
    const err = await refusal(bot.api.sendMessage(forum.id, "x", { message_thread_id: thread }));
    expect(err.description).toBe("Bad Request: TOPIC_CLOSED");
    const photoErr = await refusal(bot.api.sendPhoto(forum.id, photo(), { message_thread_id: thread }));
    expect(photoErr.description).toBe("Bad Request: TOPIC_CLOSED");
    sim.reopenTopic(forum, thread, alice);
    expect((await bot.api.sendMessage(forum.id, "open again", { message_thread_id: thread })).text).toBe("open again");
    expect(sim.messages(forum).some((m) => m.forum_topic_closed && m.message_thread_id === thread)).toBe(true);
  });

  it("a deleted topic answers message thread not found", async () => {
    const alice = sim.user({ first_name: "李明" });
    const forum = sim.group({ title: "话题群", is_forum: true, admins: [alice] });
    sim.addBot(forum, { by: alice, asAdmin: true });
    const topic = await bot.api.createForumTopic(forum.id, "课堂");
    sim.deleteTopic(forum, topic.message_thread_id);
    const err = await refusal(bot.api.sendMessage(forum.id, "x", { message_thread_id: topic.message_thread_id }));
    expect(err.description).toBe("Bad Request: message thread not found");
  });

  it("a text over 4096 characters is too long; a planned 400 fault says what it was given", async () => {
    const alice = sim.user({ first_name: "李明" });
    const group = sim.group({ title: "红星村", admins: [alice] });
    sim.addBot(group, { by: alice, asAdmin: true });
    const err = await refusal(bot.api.sendMessage(group.id, "长".repeat(4097)));
    expect(err.description).toBe("Bad Request: message is too long");
    sim.faults.push({ method: "sendMessage", times: 1, kind: "400", description: "message is too long" });
    const planned = await refusal(bot.api.sendMessage(group.id, "short"));
    expect(planned.error_code).toBe(400);
    expect(planned.description).toBe("Bad Request: message is too long");
    expect((await bot.api.sendMessage(group.id, "short")).text).toBe("short");
  });

  it("half a surrogate pair anywhere in the request is refused, as Telegram refuses invalid UTF-8", async () => {
    const alice = sim.user({ first_name: "李明" });
    const group = sim.group({ title: "红星村", admins: [alice] });
    sim.addBot(group, { by: alice, asAdmin: true });
    const half = "AAAAAAAAAAAA😀".slice(0, 13);
    const err = await refusal(bot.api.sendMessage(group.id, half));
    expect(err.description).toBe("Bad Request: strings must be encoded in UTF-8");
    const inButton = await refusal(
      bot.api.sendMessage(group.id, "ok", { reply_markup: { inline_keyboard: [[{ text: half, callback_data: "x" }]] } }),
    );
    expect(inButton.error_code).toBe(400);
    expect((await bot.api.sendMessage(group.id, "AAAAAAAAAAAA😀")).text).toBe("AAAAAAAAAAAA😀");
  });
});
