import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStage, type Stage } from "../support/scene.js";
import type { SimChat, SimMessage, SimUser } from "../../tools/simulator/index.js";

// Issue 9, privacy: a closed sign-in's names and leave reasons never go into the group. When no organiser can be
// written to privately, the group's note carries a deep link; the list follows after an organiser's Start, once.
let stage: Stage;
let admin: SimUser;
let member: SimUser;
let excused: SimUser;
let group: SimChat;
let link: string;

const textOf = (m: SimMessage | undefined) => m?.text ?? "";
const RECORD = ["赵六", "孙七", "在外务工"];

async function say(from: SimUser, chat: SimChat, text: string): Promise<SimMessage> {
  const before = stage.sim.messages(chat).at(-1);
  await stage.sim.send(from, chat, text);
  return stage.sim.waitForBotMessage(chat, () => true, { after: before, timeout: 15_000 });
}

async function start(user: SimUser, payload: string): Promise<SimMessage> {
  const dm = stage.sim.privateChat(user);
  const before = stage.sim.messages(dm).at(-1);
  await stage.sim.startPrivate(user, payload);
  return stage.sim.waitForBotMessage(dm, () => true, { after: before, timeout: 15_000 });
}

beforeAll(async () => {
  stage = await startStage();
  admin = stage.sim.user({ first_name: "钱主任" });
  member = stage.sim.user({ first_name: "赵六" });
  excused = stage.sim.user({ first_name: "孙七" });
  group = stage.sim.group({ title: "东风社区学习群", admins: [admin], members: [member, excused] });
  stage.sim.addBot(group, { by: admin, asAdmin: true });
  await stage.sim.waitForBotMessage(group, (m) => textOf(m).includes("三学助手"));
  await say(member, group, "/join");
  await say(excused, group, "/join");
}, 60_000);

afterAll(async () => {
  await stage?.close();
});

describe("a sign-in list no organiser could receive", () => {
  let from: SimMessage | undefined;

  it("stays out of the group: the closing note carries a deep-link button instead", async () => {
    from = stage.sim.messages(group).at(-1);
    await say(admin, group, "/open_signin 30 周会");
    await say(excused, group, "/leave 在外务工");
    await stage.sim.send(admin, group, "/close_signin");
    const note = await stage.sim.waitForBotMessage(group, (m) => textOf(m).includes("请先私聊我"), { timeout: 15_000 });
    const button = note.reply_markup?.inline_keyboard.flat()[0] as { url?: string } | undefined;
    expect(button?.url).toMatch(new RegExp(`^https://t\\.me/sanxue_test_bot\\?start=signins_${group.id}_\\d+$`));
    link = new URL(button?.url ?? "https://t.me").searchParams.get("start") ?? "";
    const after = stage.sim.botMessages(group).filter((m) => from === undefined || m.message_id > from.message_id);
    for (const m of after) for (const word of RECORD) expect(textOf(m)).not.toContain(word);
  });

  it("a member pressing the link gets nothing of the list, and it stays for the organiser", async () => {
    const reply = await start(member, link);
    expect(reply.text).toContain("不是这个群的管理员");
    for (const m of stage.sim.botMessages(stage.sim.privateChat(member))) {
      for (const word of ["孙七", "在外务工"]) expect(textOf(m)).not.toContain(word);
    }
  });

  it("the organiser gets names and leave reasons privately after Start, and only once", async () => {
    const dm = await start(admin, link);
    expect(dm.text).toContain("东风社区学习群");
    expect(dm.text).toContain("赵六");
    expect(dm.text).toContain("孙七");
    expect(dm.text).toContain("在外务工");
    const again = await start(admin, link);
    expect(again.text).toContain("已经发出或已过期");
    const lists = stage.sim.botMessages(stage.sim.privateChat(admin)).filter((m) => textOf(m).includes("在外务工"));
    expect(lists).toHaveLength(1);
  });
});
