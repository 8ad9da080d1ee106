import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimChat, SimMessage, SimUser } from "../../tools/simulator/index.js";
import { startStage, type Stage } from "../support/scene.js";

let stage: Stage;
let admin: SimUser;
let li: SimUser;
let group: SimChat;

const apiUser = (u: SimUser) => ({ id: u.id, is_bot: false, first_name: u.first_name });
const chat = () => ({ id: group.id, type: group.type, title: group.title });
let seq = 0;
const message = (from: object, text: string, extra: object = {}) => ({
  message_id: 800_000 + ++seq, date: Math.floor(Date.now() / 1000), chat: chat(), from, text,
  ...(text.startsWith("/") ? { entities: [{ type: "bot_command", offset: 0, length: text.split(" ")[0]?.length ?? 1 }] } : {}),
  ...extra,
});

async function command(from: SimUser, text: string, match: (m: SimMessage) => boolean = () => true): Promise<SimMessage> {
  const before = stage.sim.messages(group).at(-1);
  await stage.sim.send(from, group, text);
  return stage.sim.waitForBotMessage(group, match, { after: before, timeout: 10_000 });
}
/** Injects an update and waits until the bot has finished handling it. */
async function inject(raw: object): Promise<void> {
  const { update_id } = stage.sim.injectUpdate(raw);
  await stage.bot.waitForLog(new RegExp(`"update_id":${update_id},.*"msg":"update handled"`), 10_000);
}
const members = async () => (await command(admin, "/stats")).text?.match(/成员 (\d+) 人/)?.[1];

beforeAll(async () => {
  stage = await startStage({ env: { LOG_LEVEL: "debug" } });
  admin = stage.sim.user({ first_name: "王书记" });
  li = stage.sim.user({ first_name: "李明" });
  group = stage.sim.group({ title: "红星村学习群", admins: [admin], members: [li] });
  stage.sim.addBot(group, { by: admin, asAdmin: true });
  await stage.sim.waitForBotMessage(group, (m) => (m.text ?? "").includes("三学助手"));
  await command(li, "/join");
  expect(await members()).toBe("2");
});

afterAll(async () => {
  await stage?.close();
});

describe("hostile member updates", () => {
  it("a member status Telegram does not have removes nobody, and does not remove the bot", async () => {
    const from = apiUser(admin);
    const update = (user: object, status: string) => ({ chat: chat(), from, date: 1, old_chat_member: { status: "administrator", user }, new_chat_member: { status, user } });
    await inject({ chat_member: update(apiUser(li), "banana") });
    await inject({ my_chat_member: update({ id: stage.sim.bot.id, is_bot: true, first_name: "Sanxue" }, "") });
    expect(await members()).toBe("2");
    expect(stage.bot.logs.some((l) => l.includes("group deactivated"))).toBe(false);
    expect(stage.bot.logs.filter((l) => l.includes('"group registered"'))).toHaveLength(1);
  });

  it("a linked channel's post and an anonymous admin join no roster; their commands get one line why", async () => {
    const before = stage.sim.messages(group).at(-1);
    const channel = { id: -100777, type: "channel", title: "县委频道" };
    stage.sim.injectUpdate({ message: message({ id: 777000, is_bot: false, first_name: "Telegram" }, "/signin", { sender_chat: channel, is_automatic_forward: true }) });
    stage.sim.injectUpdate({ message: message({ id: 1087968824, is_bot: true, first_name: "Group" }, "/join", { sender_chat: chat() }) });
    stage.sim.injectUpdate({ message: message({ id: 777000, is_bot: false, first_name: "Telegram" }, "今天的通知", { sender_chat: channel, is_automatic_forward: true }) });
    const replies = await stage.sim.waitFor(() => {
      const r = stage.sim.botMessages(group).filter((m) => m.message_id > (before?.message_id ?? 0));
      return r.length >= 2 ? r : undefined;
    });
    for (const r of replies) expect(r.text).toContain("你自己的账号");
    expect(await members()).toBe("2");
  });

  it("an edited command is not a new request: an edited /push pushes nothing", async () => {
    const pushesBefore = stage.bot.logs.filter((l) => l.includes('"lesson pushed"')).length;
    const before = stage.sim.messages(group).at(-1);
    await inject({ edited_message: { ...message(apiUser(admin), "/push technology"), edit_date: 2 } });
    expect(stage.sim.messages(group).at(-1)).toBe(before);
    const lesson = await command(admin, "/push technology", (m) => Boolean(m.reply_markup));
    expect(lesson.text).toContain("选种"); // the first technology lesson: the edit did not push it before
    expect(stage.bot.logs.filter((l) => l.includes('"lesson pushed"')).length).toBeLessThanOrEqual(pushesBefore + 1);
  });
});
