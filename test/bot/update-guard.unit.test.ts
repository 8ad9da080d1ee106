import { describe, expect, it } from "vitest";
import { checkShape, checkUpdate, isPlainPress } from "../../src/bot/update-guard.js";

const user = { id: 42, is_bot: false, first_name: "李明" };
const group = { id: -1001, type: "supergroup", title: "群" };
const msg = { message_id: 7, date: 1, chat: group, from: user, text: "/help", entities: [{ type: "bot_command", offset: 0, length: 5 }] };

describe("the update guard", () => {
  it("lets through the shapes Telegram sends, extra fields included", () => {
    for (const update of [
      { update_id: 1, message: { ...msg, some_new_field: { x: 1 } } },
      { update_id: 2, message: { message_id: 8, date: 1, chat: group, sender_chat: { id: -100777, type: "channel", title: "频道" }, from: { id: 777000, is_bot: false, first_name: "Telegram" }, text: "hi" } },
      // A press under an inaccessible message (date 0), and one under an inline message.
      { update_id: 3, callback_query: { id: "1", from: user, chat_instance: "9", data: "ls:x", message: { message_id: 1, date: 0, chat: group } } },
      { update_id: 4, callback_query: { id: "2", from: user, chat_instance: "9", inline_message_id: "abc", game_short_name: "g" } },
      { update_id: 5, poll_answer: { poll_id: "p", voter_chat: group, option_ids: [0] } },
      { update_id: 6, chat_member: { chat: group, from: user, date: 1, old_chat_member: { status: "left", user }, new_chat_member: { status: "member", user } } },
    ]) expect(checkUpdate(update), JSON.stringify(update)).toMatchObject({ ok: true });
  });

  it("drops what Telegram never sends: wrong types, missing fields, entities without text", () => {
    for (const update of [
      { update_id: 1, message: { ...msg, chat: null } },
      { update_id: 2, message: { ...msg, from: { ...user, id: "42" } } },
      { update_id: 3, message: { ...msg, from: { ...user, id: -5 } } },
      { update_id: 4, message: { ...msg, chat: { ...group, id: 2 ** 53 + 2 } } },
      { update_id: 5, message: { ...msg, text: undefined } },
      { update_id: 6, callback_query: { id: "1", chat_instance: "9", data: "ls:x" } },
      { update_id: 7, callback_query: { id: 5, from: user, chat_instance: "9" } },
      { update_id: 8, poll_answer: { poll_id: "p", user, option_ids: ["0"] } },
      { update_id: 9, poll_answer: { poll_id: "p", user, option_ids: [-1] } },
      { update_id: 10, poll_answer: { poll_id: "p", user } },
      { update_id: 11, my_chat_member: { chat: group, from: user, date: 1, new_chat_member: { status: "member", user } } },
    ]) expect(checkUpdate(update), JSON.stringify(update).slice(0, 120)).toMatchObject({ ok: false });
  });

  it("checks where a pressed message is (its chat and ids), not the bot's own text and keyboard in it", () => {
    const pressOn = (message: Record<string, unknown>) => ({ update_id: 12, callback_query: { id: "1", from: user, chat_instance: "9", data: "si:1", message } });
    const keyboard = { inline_keyboard: [[{ text: "签到 ✋", callback_data: "si:1" }]] };
    expect(checkUpdate(pressOn({ message_id: 1, date: 1, chat: group, text: "签到", reply_markup: keyboard }))).toEqual({ ok: true, kind: "callback_query" });
    for (const bad of [{ message_id: 1, date: 1, chat: { ...group, id: 0 } }, { message_id: -1, date: 1, chat: group }, { message_id: 1, date: 1 }, { message_id: 1, date: 1, chat: group, message_thread_id: "7" }])
      expect(checkUpdate(pressOn(bad)), JSON.stringify(bad)).toMatchObject({ ok: false });
  });

  it("drops edits, unknown kinds and updates with no kind or two", () => {
    expect(checkUpdate({ update_id: 1, edited_message: { ...msg, text: "/push technology", edit_date: 2 } })).toMatchObject({ ok: false });
    expect(checkUpdate({ update_id: 2, business_message: msg })).toMatchObject({ ok: false });
    expect(checkUpdate({ update_id: 3 })).toMatchObject({ ok: false });
    expect(checkUpdate({ update_id: 4, message: msg, callback_query: { id: "1", from: user, chat_instance: "9" } })).toMatchObject({ ok: false });
  });

  it("the quick look at a press never lets through what the schema drops, and passes the presses Telegram sends", () => {
    const press = {
      id: "4382",
      from: { ...user, last_name: "<&>", username: "li", language_code: "zh-hans" },
      chat_instance: "-91",
      data: "si:1",
      message: { message_id: 1, date: 1, chat: { ...group, username: "cun", is_forum: true }, message_thread_id: 3, is_topic_message: true, text: "签到" },
    };
    expect(isPlainPress(press)).toBe(true);
    expect(isPlainPress({ id: "2", from: user, chat_instance: "9", inline_message_id: "abc", game_short_name: "g" })).toBe(true);
    // Every field the schema reads, set to each wrong (and some right) value, or removed.
    const values: unknown[] = [undefined, null, "", "x", "7", 0, -1, 1.5, 7, 2 ** 53 + 2, true, false, [], {}, ["x"], Number.NaN];
    const paths = [
      ["id"], ["from"], ["from", "id"], ["from", "is_bot"], ["from", "first_name"], ["from", "last_name"], ["from", "username"], ["from", "language_code"],
      ["chat_instance"], ["data"], ["inline_message_id"], ["game_short_name"], ["message"], ["message", "message_id"], ["message", "date"],
      ["message", "chat"], ["message", "chat", "id"], ["message", "chat", "type"], ["message", "chat", "title"], ["message", "chat", "username"],
      ["message", "chat", "first_name"], ["message", "chat", "last_name"], ["message", "chat", "is_forum"], ["message", "message_thread_id"], ["message", "is_topic_message"],
    ];
    let passed = 0;
    for (const path of paths)
      for (const value of [...values, "remove"]) {
        const mutated = structuredClone(press) as Record<string, unknown>;
        let at = mutated;
        for (const key of path.slice(0, -1)) at = at[key] as Record<string, unknown>;
        const last = path.at(-1) as string;
        if (value === "remove") delete at[last];
        else at[last] = value;
        if (!isPlainPress(mutated)) continue;
        passed++;
        expect(checkShape("callback_query", mutated), `${path.join(".")} = ${String(value)}`).toMatchObject({ ok: true });
      }
    // The look passes the right values among them (removed optional fields, other strings), so it was tried.
    expect(passed).toBeGreaterThan(20);
    expect(checkUpdate({ update_id: 1, callback_query: { ...press, from: { ...user, id: 0 } } })).toMatchObject({ ok: false, reason: expect.stringContaining("from.id") });
  });
});
