import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStage, type Stage } from "../support/scene.js";
import type { SimChat, SimMessage, SimUser } from "../../tools/simulator/index.js";
import { waitFor } from "../support/wait-for.js";

let stage: Stage;
let redis: Redis;
let admin: SimUser;
let member: SimUser;
let other: SimUser;
let expert: SimUser;
let expert2: SimUser;
let group: SimChat;
let experts: SimChat;

const TRICKY = "化肥 <b>用量</b> & a<c>d &amp; 怎么算？";
const text = (m: SimMessage) => m.text ?? m.caption ?? "";

async function pickTrack(question: SimMessage, label: string, who: SimUser = member): Promise<SimMessage> {
  const picker = await stage.sim.waitForBotMessage(group, (m) => m.reply_to_message_id === question.message_id);
  expect(picker.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toContain(label);
  expect((await stage.sim.press(other, picker, label))?.text).toContain("只有提问人");
  const answer = await stage.sim.press(who, picker, label);
  expect(answer?.text).toContain("已转给专家");
  return stage.sim.waitFor(() => stage.sim.messages(group).find((m) => m.message_id === picker.message_id && text(m).includes("问题 #")));
}

beforeAll(async () => {
  stage = await startStage({
    prepare: (sim) => {
      expert = sim.user({ first_name: "张工" });
      expert2 = sim.user({ first_name: "刘老师" });
      experts = sim.group({ title: "专家群", is_forum: true, admins: [expert], members: [expert2] });
      return { EXPERTS_CHAT_ID: String(experts.id) };
    },
  });
  redis = new Redis(stage.redis.url);
  admin = stage.sim.user({ first_name: "王书记" });
  member = stage.sim.user({ first_name: "李明" });
  other = stage.sim.user({ first_name: "赵六" });
  group = stage.sim.group({ title: "红星村学习群", admins: [admin], members: [member, other] });
  stage.sim.addBot(experts, { by: expert, asAdmin: true });
  await stage.sim.waitForBotMessage(experts, (m) => text(m).includes("专家群"));
  stage.sim.addBot(group, { by: admin, asAdmin: true });
  await stage.sim.waitForBotMessage(group, (m) => text(m).includes("三学助手"));
});

afterAll(async () => {
  redis?.disconnect();
  await stage?.close();
});

describe("questions to experts end to end", () => {
  it("the experts' chat is not taken for a study group", async () => {
    expect(await redis.sismember("sx:groups:all", String(experts.id))).toBe(0);
    expect(await redis.sismember("sx:groups:all", String(group.id))).toBe(1);
  });

  it("a question full of <, & and > reaches the experts exactly, in the track's new topic", async () => {
    const asked = await stage.sim.send(member, group, `/ask ${TRICKY}`);
    const receipt = await pickTrack(asked, "实用技术");
    expect(text(receipt)).toContain("问题 #1");
    expect(receipt.reply_to_message_id).toBe(asked.message_id);
    const card = await stage.sim.waitForBotMessage(experts, (m) => text(m).includes("问题 #1"));
    expect(text(card)).toContain(TRICKY);
    expect(text(card)).toContain("李明");
    expect(text(card)).toContain("红星村学习群");
    expect(text(card)).toContain("实用技术");
    const topic = stage.sim.messages(experts).find((m) => m.forum_topic_created?.name.includes("实用技术"));
    expect(topic).toBeDefined();
    expect(card.message_thread_id).toBe(topic?.message_id);
  });

  it("an expert's text and photo replies both arrive under the member's message", async () => {
    const asked = stage.sim.messages(group).find((m) => text(m).startsWith("/ask 化肥")) as SimMessage;
    const card = stage.sim.botMessages(experts).find((m) => text(m).includes("问题 #1")) as SimMessage;
    const before = stage.sim.messages(group).at(-1);
    await stage.sim.send(expert, experts, "每亩 <20 kg> & 分两次施", { replyTo: card });
    const answer = await stage.sim.waitForBotMessage(group, (m) => text(m).includes("每亩"), { after: before });
    expect(answer.reply_to_message_id).toBe(asked.message_id);
    expect(text(answer)).toContain("专家 张工 回答了问题 #1");
    expect(text(answer)).toContain("每亩 <20 kg> & 分两次施");
    await stage.sim.waitForBotMessage(experts, (m) => text(m).includes("已转给问题 #1"));

    await stage.sim.sendPhoto(expert2, experts, { replyTo: card, caption: "看这张图 <1>" });
    const photo = await stage.sim.waitForBotMessage(group, (m) => Boolean(m.photo), { after: answer });
    expect(photo.reply_to_message_id).toBe(asked.message_id);
    expect(text(photo)).toContain("专家 刘老师 回答了问题 #1");
    expect(text(photo)).toContain("看这张图 <1>");
    // Nothing else of the experts' chat reached the group.
    expect(stage.sim.botMessages(group).filter((m) => text(m).includes("已转给"))).toHaveLength(1);
  });

  it("only the asker rates, and the rating is recorded; a change of mind overwrites", async () => {
    const answer = stage.sim.botMessages(group).find((m) => text(m).includes("每亩")) as SimMessage;
    expect((await stage.sim.press(other, answer, "👍 有帮助"))?.text).toContain("只有提问人");
    expect(await redis.hget("sx:{q}:ratings:1", "1")).toBeNull();
    expect((await stage.sim.press(member, answer, "👎 没帮助"))?.text).toContain("谢谢");
    expect((await stage.sim.press(member, answer, "👍 有帮助"))?.text).toContain("已更新");
    expect(await redis.hget("sx:{q}:ratings:1", "1")).toBe("helpful");
  });

  it("only organisers make an answer public, and /faq finds it", async () => {
    const answer = stage.sim.botMessages(group).find((m) => text(m).includes("每亩")) as SimMessage;
    expect((await stage.sim.press(member, answer, "📌 设为公开问答（管理员）"))?.text).toContain("只有管理员");
    expect((await stage.sim.press(admin, answer, "📌 设为公开问答（管理员）"))?.text).toContain("已设为公开");
    const before = stage.sim.messages(group).at(-1);
    await stage.sim.send(other, group, "/faq 化肥用量");
    const found = await stage.sim.waitForBotMessage(group, (m) => text(m).includes("#1"), { after: before });
    expect(text(found)).toContain("每亩");
  });

  it("a question from a lesson's button carries the lesson and its track", async () => {
    let before = stage.sim.messages(group).at(-1);
    await stage.sim.send(admin, group, "/push technology");
    const lesson = await stage.sim.waitForBotMessage(group, (m) => Boolean(m.reply_markup?.inline_keyboard.length) && text(m).includes("选种"), { after: before });
    const toast = await stage.sim.press(member, lesson, "就此提问");
    expect(toast?.text).toBeTruthy();
    const prompt = await stage.sim.waitForBotMessage(group, (m) => text(m).includes("选种") && text(m).includes("李明"), { after: lesson });
    before = stage.sim.messages(group).at(-1);
    const reply = await stage.sim.send(member, group, "种子发芽率低怎么办？", { replyTo: prompt });
    const receipt = await stage.sim.waitForBotMessage(group, (m) => text(m).includes("问题 #2"), { after: before });
    expect(receipt.reply_to_message_id).toBe(reply.message_id);
    expect(text(receipt)).toContain("选种");
    const card = await stage.sim.waitForBotMessage(experts, (m) => text(m).includes("问题 #2"));
    expect(text(card)).toContain("实用技术");
    expect(text(card)).toContain("关于课程：选种");
    const topic1 = stage.sim.botMessages(experts).find((m) => text(m).includes("问题 #1"))?.message_thread_id;
    expect(card.message_thread_id).toBe(topic1);
  });

  it("/open lists unanswered questions and drops answered ones", async () => {
    const before = stage.sim.messages(experts).at(-1);
    await stage.sim.send(expert, experts, "/open");
    const list = await stage.sim.waitForBotMessage(experts, (m) => text(m).includes("未回答的问题"), { after: before });
    expect(text(list)).toContain("#2");
    expect(text(list)).not.toContain("#1 ");
    const card = stage.sim.botMessages(experts).find((m) => text(m).includes("问题 #2")) as SimMessage;
    expect(list.entities?.some((e) => e.type === "text_link" && e.url?.endsWith(`/${card.message_id}`))).toBe(true);
    await stage.sim.send(expert, experts, "先做发芽试验。", { replyTo: card });
    await stage.sim.waitForBotMessage(experts, (m) => text(m).includes("已转给问题 #2"));
    const again = stage.sim.messages(experts).at(-1);
    await stage.sim.send(expert, experts, "/open");
    const empty = await stage.sim.waitForBotMessage(experts, (m) => text(m).includes("没有未回答"), { after: again });
    expect(text(empty)).not.toContain("#2");
  });

  it("a photo question is copied to the experts, and a deleted topic is recreated", async () => {
    const record = stage.sim.state.chats.get(experts.id);
    const oldTopic = stage.sim.botMessages(experts).find((m) => text(m).includes("问题 #1"))?.message_thread_id as number;
    record?.topics.delete(oldTopic); // someone deleted the technology topic
    const asked = await stage.sim.sendPhoto(member, group, { caption: "/ask 叶子发黄是什么病？" });
    await pickTrack(asked, "实用技术");
    const card = await stage.sim.waitForBotMessage(experts, (m) => text(m).includes("问题 #3"));
    expect(card.message_thread_id).not.toBe(oldTopic);
    expect(record?.topics.has(card.message_thread_id as number)).toBe(true);
    const copy = await stage.sim.waitForBotMessage(experts, (m) => Boolean(m.photo) && m.reply_to_message_id === card.message_id);
    expect(copy.message_thread_id).toBe(card.message_thread_id);
  });

  it("an unanswered question is announced again once, after the group's reminder time", async () => {
    const raw = (await redis.get(`sx:{g${group.id}}:group`)) as string;
    const info = JSON.parse(raw) as { schedule: { question_reminder_hours: number } };
    info.schedule.question_reminder_hours = 0.0003; // about a second
    await redis.set(`sx:{g${group.id}}:group`, JSON.stringify(info));
    const asker = stage.sim.user({ first_name: "周八" });
    stage.sim.join(group, asker);
    const asked = await stage.sim.send(asker, group, "/ask 村里的合作社怎么入股？");
    await pickTrack(asked, "政策理论", asker);
    const card = await stage.sim.waitForBotMessage(experts, (m) => text(m).includes("问题 #4"));
    const reminder = await stage.sim.waitForBotMessage(experts, (m) => text(m).includes("⏰") && text(m).includes("问题 #4"), { timeout: 20_000 });
    expect(reminder.reply_to_message_id).toBe(card.message_id);
    // The timer is gone and the question is marked reminded: it cannot fire again.
    // (The handler acks the timer just after the post lands, so wait for that.)
    await waitFor(async () => (await redis.zscore("sx:{timers}", "question-reminder:4")) === null, { timeout: 5000, message: "the reminder timer acked" });
    expect(await redis.zscore("sx:{timers}", "question-reminder:4")).toBeNull();
    expect(await redis.hget("sx:{q}:q:4", "remindedAt")).not.toBeNull();
    // A reply to the reminder answers the question too.
    await stage.sim.send(expert, experts, "可以，带上身份证去合作社登记。", { replyTo: reminder });
    const answer = await stage.sim.waitForBotMessage(group, (m) => text(m).includes("身份证"));
    expect(answer.reply_to_message_id).toBe(asked.message_id);
    expect(stage.sim.botMessages(experts).filter((m) => text(m).includes("⏰") && text(m).includes("问题 #4"))).toHaveLength(1);
  });

  it("empty, oversized and too frequent questions get a clear answer and create nothing", async () => {
    let before = stage.sim.messages(group).at(-1);
    await stage.sim.send(other, group, "/ask");
    const prompt = await stage.sim.waitForBotMessage(group, (m) => text(m).includes("你的问题是什么"), { after: before });
    before = stage.sim.messages(group).at(-1);
    await stage.sim.send(other, group, `/ask ${"长".repeat(1001)}`);
    expect(text(await stage.sim.waitForBotMessage(group, () => true, { after: before }))).toContain("太长");
    for (let i = 0; i < 3; i++) {
      before = stage.sim.messages(group).at(-1);
      await stage.sim.send(other, group, `/ask 问题 ${i}`);
      await stage.sim.waitForBotMessage(group, (m) => text(m).includes("哪一类"), { after: before });
    }
    before = stage.sim.messages(group).at(-1);
    await stage.sim.send(other, group, "/ask 第四个问题", { replyTo: prompt });
    expect(text(await stage.sim.waitForBotMessage(group, () => true, { after: before }))).toContain("太频繁");
    expect(await redis.get("sx:{q}:seq")).toBe("4");
  });

  it("a question asked in private is answered in private", async () => {
    const asker = stage.sim.user({ first_name: "吴九" });
    // Private questions are for members of a study group: 吴九 joins one first.
    stage.sim.join(group, asker);
    const joined = stage.sim.messages(group).at(-1);
    await stage.sim.send(asker, group, "/join");
    await stage.sim.waitForBotMessage(group, (m) => text(m).includes("吴九"), { after: joined });
    await stage.sim.startPrivate(asker);
    const chat = stage.sim.privateChat(asker);
    await stage.sim.waitForBotMessage(chat, (m) => text(m).includes("吴九"));
    const asked = await stage.sim.sendVoice(asker, chat, { caption: "/ask 这段话怎么理解？" });
    const picker = await stage.sim.waitForBotMessage(chat, (m) => m.reply_to_message_id === asked.message_id);
    await stage.sim.press(asker, picker, "其他 / 不确定");
    const card = await stage.sim.waitForBotMessage(experts, (m) => text(m).includes("问题 #5"));
    expect(text(card)).toContain("私聊提问");
    await stage.sim.waitForBotMessage(experts, (m) => Boolean(m.voice) && m.reply_to_message_id === card.message_id);
    await stage.sim.sendVoice(expert, experts, { replyTo: card });
    const answer = await stage.sim.waitForBotMessage(chat, (m) => Boolean(m.voice));
    expect(answer.reply_to_message_id).toBe(asked.message_id);
    expect(answer.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toEqual(["👍 有帮助", "👎 没帮助"]);
  });
});

describe("questions without experts", () => {
  let bare: Stage;
  beforeAll(async () => {
    bare = await startStage();
  });
  afterAll(async () => {
    await bare?.close();
  });

  it("/ask says that no experts are set up and keeps nothing", async () => {
    const u = bare.sim.user({ first_name: "孙七" });
    await bare.sim.startPrivate(u);
    const chat = bare.sim.privateChat(u);
    await bare.sim.waitForBotMessage(chat, (m) => (m.text ?? "").includes("孙七"));
    const before = bare.sim.messages(chat).at(-1);
    await bare.sim.send(u, chat, "/ask 有人吗？");
    const reply = await bare.sim.waitForBotMessage(chat, () => true, { after: before });
    expect(reply.text).toContain("还没有设置专家群");
    const r = new Redis(bare.redis.url);
    expect(await r.keys("sx:{q}:*")).toEqual([]);
    r.disconnect();
  });
});
