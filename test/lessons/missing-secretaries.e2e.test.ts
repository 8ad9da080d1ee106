import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStage, type Stage } from "../support/scene.js";
import type { SimChat, SimMessage, SimUser } from "../../tools/simulator/index.js";

// Issue 9, privacy: a secretaries' /push names, in the group, only how many secretaries it missed; their names go
// to the organiser privately, at once or (when the bot cannot write to them yet) after Start on a deep link.
let stage: Stage;

const textOf = (m: SimMessage | undefined) => m?.text ?? "";
const withButtons = (m: SimMessage) => Boolean(m.reply_markup?.inline_keyboard?.length);

async function ask(user: SimUser, chat: SimChat, text: string, match: (m: SimMessage) => boolean = () => true, opts = {}): Promise<SimMessage> {
  const before = stage.sim.messages(chat).at(-1);
  await stage.sim.send(user, chat, text, opts);
  return stage.sim.waitForBotMessage(chat, match, { after: before, timeout: 15_000 });
}

async function start(user: SimUser, payload?: string): Promise<SimMessage> {
  const dm = stage.sim.privateChat(user);
  const before = stage.sim.messages(dm).at(-1);
  await stage.sim.startPrivate(user, payload);
  return stage.sim.waitForBotMessage(dm, () => true, { after: before, timeout: 15_000 });
}

/** A group whose secretary never started the bot; returns the /push reply about the secretaries' lesson. */
async function pushToMissedSecretary(title: string, admin: SimUser, secretary: SimUser, member: SimUser) {
  const group = stage.sim.group({ title, admins: [admin], members: [secretary, member] });
  stage.sim.addBot(group, { by: admin, asAdmin: true });
  await stage.sim.waitForBotMessage(group, (m) => textOf(m).includes("三学助手"));
  const before = stage.sim.messages(group).at(-1);
  const joined = await stage.sim.send(secretary, group, "/join");
  await stage.sim.waitForBotMessage(group, () => true, { after: before, timeout: 15_000 });
  await ask(member, group, "/join");
  await ask(admin, group, "/role secretary", () => true, { replyTo: joined });
  await ask(admin, group, "/push policy", withButtons);
  const from = stage.sim.messages(group).at(-1);
  const reply = await ask(admin, group, "/push policy", (m) => textOf(m).includes("支部书记课程"));
  const after = stage.sim.botMessages(group).filter((m) => from === undefined || m.message_id > from.message_id);
  return { group, reply, after };
}

beforeAll(async () => {
  stage = await startStage();
}, 60_000);

afterAll(async () => {
  await stage?.close();
});

describe("the secretaries a /push missed", () => {
  it("go to an organiser who started the bot privately; the group reads a count", async () => {
    const admin = stage.sim.user({ first_name: "周主任" });
    const secretary = stage.sim.user({ first_name: "郑支书" });
    await start(admin);
    const dm = stage.sim.privateChat(admin);
    const before = stage.sim.messages(dm).at(-1);
    const { reply, after } = await pushToMissedSecretary("青山社区", admin, secretary, stage.sim.user({ first_name: "冯明" }));
    expect(reply.text).toContain("0/1");
    expect(reply.text).toContain("1 位书记没有收到");
    for (const m of after) expect(textOf(m)).not.toContain("郑支书");
    const names = await stage.sim.waitForBotMessage(dm, (m) => textOf(m).includes("没有送达"), { after: before, timeout: 15_000 });
    expect(names.text).toContain("郑支书");
    expect(names.text).toContain("青山社区");
  });

  it("wait behind a deep link when the organiser cannot be written to: a member gets nothing, the organiser once", async () => {
    const admin = stage.sim.user({ first_name: "王书记" });
    const secretary = stage.sim.user({ first_name: "李支书" });
    const member = stage.sim.user({ first_name: "张明" });
    const { group, reply, after } = await pushToMissedSecretary("红星村学习群", admin, secretary, member);
    for (const m of after) expect(textOf(m)).not.toContain("李支书");
    const button = reply.reply_markup?.inline_keyboard.flat()[0] as { url?: string } | undefined;
    expect(button?.url).toBe(`https://t.me/sanxue_test_bot?start=secretaries_${group.id}`);
    const payload = `secretaries_${group.id}`;

    expect((await start(member, payload)).text).toContain("不是这个群的管理员");
    for (const m of stage.sim.botMessages(stage.sim.privateChat(member))) expect(textOf(m)).not.toContain("李支书");

    const names = await start(admin, payload);
    expect(names.text).toContain("李支书");
    expect(names.text).toContain("红星村学习群");
    expect((await start(admin, payload)).text).toContain("没有等你领取的名单");
    expect(stage.sim.botMessages(stage.sim.privateChat(admin)).filter((m) => textOf(m).includes("李支书"))).toHaveLength(1);
  });
});
