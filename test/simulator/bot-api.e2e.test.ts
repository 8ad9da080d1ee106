import { Bot, HttpError, InputFile } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSimulator, type Simulator } from "../../tools/simulator/index.js";
import { refusal } from "../support/refusal.js";
import { waitFor } from "../support/wait-for.js";

let sim: Simulator;
let bot: Bot;

beforeEach(async () => {
  sim = await createSimulator({ limits: false, pressTimeoutMs: 1500 });
  bot = new Bot(sim.token, { client: { apiRoot: sim.apiRoot } });
});
afterEach(async () => {
  await sim.close();
});

function setup() {
  const alice = sim.user({ first_name: "李明", username: "liming" });
  const group = sim.group({ title: "红星村学习群", admins: [alice] });
  sim.addBot(group, { by: alice, asAdmin: true });
  return { alice, group };
}

describe("getMe and auth", () => {
  it("answers getMe with the configured bot and rejects a wrong token with 401", async () => {
    const me = await bot.api.getMe();
    expect(me.username).toBe("sanxue_bot");
    expect(me.can_read_all_group_messages).toBe(false);
    const wrong = new Bot("1:wrong", { client: { apiRoot: sim.apiRoot } });
    const err = await refusal(wrong.api.getMe());
    expect(err.error_code).toBe(401);
    expect(err.description).toBe("Unauthorized");
  });
});

describe("long polling", () => {
  it("delivers queued updates and drops confirmed ones by offset", async () => {
    const { alice, group } = setup();
    await sim.send(alice, group, "/push technology");
    const first = await bot.api.getUpdates({ timeout: 0 });
    expect(first.map((u) => Object.keys(u)[1])).toEqual(["my_chat_member", "message"]);
    const last = first.at(-1);
    expect(last?.message?.entities?.[0]).toMatchObject({ type: "bot_command", offset: 0, length: 5 });
    const again = await bot.api.getUpdates({ offset: (last?.update_id ?? 0) + 1, timeout: 0 });
    expect(again).toEqual([]);
  });

  it("resolves a waiting long poll as soon as an update arrives", async () => {
    const { alice, group } = setup();
    await bot.api.getUpdates({ offset: 100, timeout: 0 });
    const started = Date.now();
    const poll = bot.api.getUpdates({ offset: 100, timeout: 20, allowed_updates: ["message"] });
    await waitFor(() => sim.queue.longPolling, { message: "the long poll waiting" });
    await sim.send(alice, group, "/me");
    const updates = await poll;
    expect(updates[0]?.message?.text).toBe("/me");
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("terminates an older long poll with 409 when a newer one starts", async () => {
    const older = bot.api.getUpdates({ timeout: 10 });
    await waitFor(() => sim.queue.longPolling, { message: "the older long poll waiting" });
    const newer = bot.api.getUpdates({ timeout: 0 });
    const err = await refusal(older);
    expect(err.error_code).toBe(409);
    expect(err.description).toContain("terminated by other getUpdates request");
    await newer;
  });

  it("delivers chat_member only when allowed_updates lists it", async () => {
    const { group } = setup();
    const bob = sim.user({ first_name: "Bob" });
    sim.join(group, bob);
    const defaults = await bot.api.getUpdates({ timeout: 0 });
    expect(defaults.some((u) => u.chat_member)).toBe(false);
    const sim2 = sim;
    sim2.join(group, sim.user({ first_name: "Carol" }));
    const listed = await bot.api.getUpdates({ timeout: 0, allowed_updates: ["chat_member", "message"] });
    expect(listed.find((u) => u.chat_member)?.chat_member?.new_chat_member.user.first_name).toBe("Carol");
  });
});

describe("sendMessage validation", () => {
  it("rejects HTML Telegram cannot parse, with Telegram's descriptions", async () => {
    const { group } = setup();
    const div = await refusal(bot.api.sendMessage(group.id, "Hello <div>x</div>", { parse_mode: "HTML" }));
    expect(div.description).toBe('Bad Request: can\'t parse entities: Unsupported start tag "div" at byte offset 6');
    const open = await refusal(bot.api.sendMessage(group.id, "<b>bold", { parse_mode: "HTML" }));
    expect(open.description).toBe('Bad Request: can\'t parse entities: Can\'t find end tag corresponding to start tag "b"');
    const stray = await refusal(bot.api.sendMessage(group.id, "学习</b>", { parse_mode: "HTML" }));
    expect(stray.description).toBe("Bad Request: can't parse entities: Unexpected end tag at byte offset 6");
  });

  it("parses supported HTML into entities and keeps the source", async () => {
    const { group } = setup();
    const sent = await bot.api.sendMessage(group.id, '<b>学</b> &lt;3 <a href="https://e.org">x</a>', { parse_mode: "HTML" });
    expect(sent.text).toBe("学 <3 x");
    expect(sent.entities).toEqual([
      { type: "bold", offset: 0, length: 1 },
      { type: "text_link", offset: 5, length: 1, url: "https://e.org" },
    ]);
    expect(sim.botMessages(group)[0]?.html).toContain("<b>学</b>");
  });

  it("counts length after entity parsing: 4096 passes, 4097 fails", async () => {
    const { group } = setup();
    await bot.api.sendMessage(group.id, `<b>${"a".repeat(4096)}</b>`, { parse_mode: "HTML" });
    const err = await refusal(bot.api.sendMessage(group.id, "a".repeat(4097)));
    expect(err.description).toBe("Bad Request: message is too long");
    expect((await refusal(bot.api.sendMessage(group.id, " "))).description).toBe("Bad Request: message text is empty");
  });

  it("rejects callback data over 64 bytes", async () => {
    const { group } = setup();
    const data = "学".repeat(22); // 66 bytes in UTF-8
    const err = await refusal(
      bot.api.sendMessage(group.id, "x", { reply_markup: { inline_keyboard: [[{ text: "b", callback_data: data }]] } }),
    );
    expect(err.description).toBe("Bad Request: BUTTON_DATA_INVALID");
  });

  it("refuses private chats without /start, unknown chats, blocked users and kicked groups", async () => {
    const { alice, group } = setup();
    const dm = await refusal(bot.api.sendMessage(alice.id, "hi"));
    expect([dm.error_code, dm.description]).toEqual([403, "Forbidden: bot can't initiate conversation with a user"]);
    await sim.startPrivate(alice);
    await bot.api.sendMessage(alice.id, "hi");
    sim.block(alice);
    expect((await refusal(bot.api.sendMessage(alice.id, "hi"))).description).toBe("Forbidden: bot was blocked by the user");
    expect((await refusal(bot.api.sendMessage(424242, "hi"))).description).toBe("Bad Request: chat not found");
    sim.removeBot(group, { by: alice });
    expect((await refusal(bot.api.sendMessage(group.id, "hi"))).description).toBe(
      "Forbidden: bot was kicked from the supergroup chat",
    );
  });

  it("rejects replies to missing messages unless allowed, and editing missing messages", async () => {
    const { group } = setup();
    const err = await refusal(bot.api.sendMessage(group.id, "x", { reply_parameters: { message_id: 999 } }));
    expect(err.description).toBe("Bad Request: message to be replied not found");
    const ok = await bot.api.sendMessage(group.id, "x", { reply_parameters: { message_id: 999, allow_sending_without_reply: true } });
    expect(ok.reply_to_message).toBeUndefined();
    expect((await refusal(bot.api.editMessageText(group.id, 999, "y"))).description).toBe("Bad Request: message to edit not found");
    const same = await refusal(bot.api.editMessageText(group.id, ok.message_id, "x"));
    expect(same.description).toContain("message is not modified");
    await bot.api.editMessageText(group.id, ok.message_id, "y");
    expect(sim.botMessages(group).at(-1)).toMatchObject({ text: "y", edits: 1 });
  });
});

describe("buttons and polls", () => {
  it("press sends a callback_query and resolves with the bot's toast", async () => {
    const { alice, group } = setup();
    const sent = await bot.api.sendMessage(group.id, "Lesson", {
      reply_markup: { inline_keyboard: [[{ text: "Studied ✓", callback_data: "studied:1" }]] },
    });
    const message = sim.messages(group).find((m) => m.message_id === sent.message_id);
    if (!message) throw new Error("not stored");
    await bot.api.getUpdates({ timeout: 0 }).then((u) => bot.api.getUpdates({ offset: (u.at(-1)?.update_id ?? 0) + 1, timeout: 0 }));
    const toast = sim.press(alice, message, "Studied ✓");
    const [update] = await bot.api.getUpdates({ timeout: 5 });
    const query = update?.callback_query;
    expect(query?.data).toBe("studied:1");
    await bot.api.answerCallbackQuery(query?.id ?? "", { text: "已记录" });
    expect(await toast).toEqual({ text: "已记录" });
    const twice = await refusal(bot.api.answerCallbackQuery(query?.id ?? ""));
    expect(twice.description).toBe("Bad Request: query is too old and response timeout expired or query ID is invalid");
    expect(sim.transcript()).toContain("  ↳ toast to 李明: 已记录");
  });

  it("a quiz poll answered by a member produces poll_answer with the chosen option", async () => {
    const { alice, group } = setup();
    const sent = await bot.api.sendPoll(group.id, "How often?", [{ text: "Daily" }, { text: "Fortnightly" }], {
      type: "quiz", is_anonymous: false, correct_option_ids: [1], explanation: "Every two weeks",
    });
    expect(sent.poll?.correct_option_ids).toEqual([1]);
    await sim.answerPoll(alice, sent.poll?.id ?? "", [1]);
    const updates = await bot.api.getUpdates({ timeout: 0, allowed_updates: ["poll_answer", "poll"] });
    expect(updates.find((u) => u.poll_answer)?.poll_answer).toMatchObject({ option_ids: [1], user: { id: alice.id } });
    expect(updates.find((u) => u.poll)?.poll?.options[1]?.voter_count).toBe(1);
    const bad = await refusal(bot.api.sendPoll(group.id, "Q", [{ text: "a" }, { text: "b" }], { type: "quiz", correct_option_ids: [5] }));
    expect(bad.error_code).toBe(400);
  });
});

describe("limits and faults", () => {
  it("answers 429 with retry_after past 20 messages a minute into one group", async () => {
    await sim.close();
    let now = 1_700_000_000_000;
    sim = await createSimulator({ now: () => now });
    bot = new Bot(sim.token, { client: { apiRoot: sim.apiRoot } });
    const { group } = setup();
    for (let i = 0; i < 20; i++) {
      await bot.api.sendMessage(group.id, `m${i}`);
      now += 100;
    }
    const err = await refusal(bot.api.sendMessage(group.id, "one too many"));
    expect(err.error_code).toBe(429);
    expect(err.parameters.retry_after).toBe(58);
    now += 60_000;
    await bot.api.sendMessage(group.id, "later");
  });

  it("injected faults fail the next calls and then clear", async () => {
    sim.faults.push({ method: "getMe", times: 1, kind: "500" }, { method: "getChat", times: 1, kind: "network" });
    expect((await refusal(bot.api.getMe())).error_code).toBe(500);
    expect((await bot.api.getMe()).is_bot).toBe(true);
    const net = await bot.api.getChat(1).then(() => undefined, (e: unknown) => e);
    expect(net).toBeInstanceOf(HttpError);
  });
});

describe("files", () => {
  it("stores multipart sendDocument bytes, readable via getFile", async () => {
    const { group } = setup();
    const bytes = Buffer.from("user_id,name\n1,李明\n");
    const sent = await bot.api.sendDocument(group.id, new InputFile(bytes, "export.csv"), { caption: "周报" });
    expect(sent.document?.file_name).toBe("export.csv");
    expect(sim.botMessages(group)[0]?.document?.bytes.equals(bytes)).toBe(true);
    const file = await bot.api.getFile(sent.document?.file_id ?? "");
    const res = await fetch(`${sim.apiRoot}/file/bot${sim.token}/${file.file_path}`);
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
  });
});
