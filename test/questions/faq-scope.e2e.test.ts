import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStage, type Stage } from "../support/scene.js";
import type { SimChat, SimMessage, SimUser } from "../../tools/simulator/index.js";

/**
 * `/faq` shows only answers organisers made public from the asker's own group: not another
 * group's public answers, and never a question a secretary asked in private.
 */
let stage: Stage;
let expert: SimUser;
let experts: SimChat;
let adminA: SimUser;
let memberA: SimUser;
let secretary: SimUser;
let groupA: SimChat;
let memberB: SimUser;
let groupB: SimChat;

const text = (m: SimMessage) => m.text ?? m.caption ?? "";

const WAIT = { timeout: 20_000 };

async function command(from: SimUser, chat: SimChat, line: string, match: (m: SimMessage) => boolean = () => true, replyTo?: SimMessage): Promise<SimMessage> {
  const before = stage.sim.messages(chat).at(-1);
  await stage.sim.send(from, chat, line, replyTo ? { replyTo } : {});
  return stage.sim.waitForBotMessage(chat, match, { after: before, ...WAIT });
}

/** The expert answers question #id by replying to its card; resolves with the relayed answer in `chat`. */
async function answer(id: number, reply: string, chat: SimChat): Promise<SimMessage> {
  const card = await stage.sim.waitForBotMessage(experts, (m) => new RegExp(`问题 #${id}(?!\\d)`).test(text(m)), WAIT);
  const before = stage.sim.messages(chat).at(-1);
  await stage.sim.send(expert, experts, reply, { replyTo: card });
  return stage.sim.waitForBotMessage(chat, (m) => text(m).includes(reply), { after: before, ...WAIT });
}

beforeAll(async () => {
  stage = await startStage({
    prepare: (sim) => {
      expert = sim.user({ first_name: "张工" });
      experts = sim.group({ title: "专家群", admins: [expert] });
      return { EXPERTS_CHAT_ID: String(experts.id) };
    },
  });
  adminA = stage.sim.user({ first_name: "王书记" });
  memberA = stage.sim.user({ first_name: "李明" });
  secretary = stage.sim.user({ first_name: "赵书记" });
  groupA = stage.sim.group({ title: "红星村学习群", admins: [adminA], members: [memberA, secretary] });
  memberB = stage.sim.user({ first_name: "孙丽" });
  groupB = stage.sim.group({ title: "青山村学习群", admins: [stage.sim.user({ first_name: "周主任" })], members: [memberB] });
  stage.sim.addBot(experts, { by: expert, asAdmin: true });
  await stage.sim.waitForBotMessage(experts, (m) => text(m).includes("专家群"), WAIT);
  for (const g of [groupA, groupB]) {
    stage.sim.addBot(g, { by: g === groupA ? adminA : stage.sim.user({ first_name: "x" }), asAdmin: true });
    await stage.sim.waitForBotMessage(g, (m) => text(m).includes("三学助手"), WAIT);
  }
}, 60_000);

afterAll(async () => {
  await stage?.close();
});

describe("/faq shows only the asker's own group's public answers", () => {
  it("an answer made public in group A is found in group A", async () => {
    const asked = await stage.sim.send(memberA, groupA, "/ask 化肥用量怎么算？");
    const picker = await stage.sim.waitForBotMessage(groupA, (m) => m.reply_to_message_id === asked.message_id, WAIT);
    expect((await stage.sim.press(memberA, picker, "实用技术"))?.text).toContain("已转给专家");
    const relayed = await answer(1, "每亩二十公斤分两次施", groupA);
    expect((await stage.sim.press(adminA, relayed, "📌 设为公开问答（管理员）"))?.text).toContain("已设为公开");
    const found = await command(memberA, groupA, "/faq 化肥用量");
    expect(text(found)).toContain("每亩二十公斤");
  }, 60_000);

  it("/faq in group B does not show group A's public answer", async () => {
    const reply = await command(memberB, groupB, "/faq 化肥用量");
    expect(text(reply)).toContain("没有找到相关的问答");
    expect(text(reply)).not.toContain("每亩二十公斤");
  }, 30_000);

  it("a question a secretary asked in private never appears to members", async () => {
    await stage.sim.startPrivate(secretary);
    await stage.sim.waitForBotMessage(stage.sim.privateChat(secretary), () => true, WAIT);
    const fromSecretary = await stage.sim.send(secretary, groupA, "大家好");
    await command(adminA, groupA, "/role secretary", (m) => text(m).includes("赵书记"), fromSecretary);
    await command(adminA, groupA, "/push policy", (m) => Boolean(m.reply_markup)); // the fixture's first policy lesson
    await command(adminA, groupA, "/push policy"); // the secretaries' lesson: sent privately
    const dm = stage.sim.privateChat(secretary);
    const lesson = await stage.sim.waitForBotMessage(dm, (m) => text(m).includes("支部书记工作要点"), WAIT);
    const before = stage.sim.messages(dm).at(-1);
    await stage.sim.press(secretary, lesson, "就此提问");
    const prompt = await stage.sim.waitForBotMessage(dm, (m) => text(m).includes("支部书记工作要点"), { after: before, ...WAIT });
    await stage.sim.send(secretary, dm, "支部换届选举程序怎么走？", { replyTo: prompt });
    await answer(2, "先开支委会再开党员大会", dm);

    const reply = await command(memberA, groupA, "/faq 换届选举程序");
    expect(text(reply)).not.toContain("先开支委会");
    expect(text(reply)).toContain("没有找到相关的问答");
  }, 90_000);
});
