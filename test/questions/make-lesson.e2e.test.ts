import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimChat, SimMessage, SimUser, Simulator } from "../../tools/simulator/index.js";
import { lessonRef } from "../../src/lessons/index.js";
import type { InProcess } from "../support/in-process.js";
import { startAppStage, type AppStage } from "../support/stage.js";
import { authoringSteps, has } from "../support/authoring.js";

let stage: AppStage;
let sim: Simulator;
let app: InProcess;
let expert: SimUser;
let county: SimUser;
let silentCounty: SimUser;
let member: SimUser;
let experts: SimChat;
let group: SimChat;
let steps: ReturnType<typeof authoringSteps>;
let sent: SimMessage;

const text = (m: SimMessage) => m.text ?? m.caption ?? "";
const QUESTION = '化肥 <b>用量</b> & "尿素" 怎么算？';

beforeAll(async () => {
  stage = await startAppStage();
  sim = stage.sim;
  steps = authoringSteps(sim);
  expert = sim.user({ first_name: "张工<专家>" });
  county = sim.user({ first_name: "县委组织部" });
  silentCounty = sim.user({ first_name: "没开私聊的组织者" });
  member = sim.user({ first_name: "李明 🌾" });
  experts = sim.group({ title: "专家群", type: "supergroup", admins: [expert] });
  app = await stage.app({ run: { updates: true }, env: { EXPERTS_CHAT_ID: String(experts.id), ORGANIZER_IDS: `${county.id},${silentCounty.id}` } });
  sim.addBot(experts, { by: expert, asAdmin: true });
  await sim.waitForBotMessage(experts, (m) => text(m).includes("专家群"));
  const admin = sim.user({ first_name: "王书记" });
  group = sim.group({ title: "红星村", type: "supergroup", admins: [admin], members: [member] });
  sim.addBot(group, { by: admin, asAdmin: true });
  await sim.waitForBotMessage(group, has("三学助手"));
  await steps.step(county, () => sim.startPrivate(county), () => true);

  // A member asks; an expert answers with a picture; the bot relays it and says so in the experts' chat.
  const asked = await sim.send(member, group, `/ask ${QUESTION}`);
  const picker = await sim.waitForBotMessage(group, (m) => m.reply_to_message_id === asked.message_id);
  await sim.press(member, picker, "实用技术");
  const card = await sim.waitForBotMessage(experts, (m) => text(m).includes("问题 #1"));
  await sim.sendPhoto(expert, experts, { replyTo: card, caption: "每亩 <20 kg> & 分两次施" });
  sent = await sim.waitForBotMessage(experts, (m) => text(m).includes("已转给问题 #1"));
}, 60_000);

afterAll(async () => {
  await app?.close();
  await stage?.close();
});

describe("an expert makes a lesson of a good answer", () => {
  it("the bot's note under a relayed answer offers it; a forged press changes nothing", async () => {
    expect(sent.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toEqual(["📝 做成课程"]);
    const forged = await sim.pressForged(expert, sent, "ml:999:1");
    expect(forged?.text).toContain("按钮已失效");
    expect(await app.redis.hlen("sx:written:proposals")).toBe(0);
  });

  it("pressing it hands a draft to the county organisers who can be reached; a second press is told it exists", async () => {
    const before = sim.botMessages(steps.dm(county)).at(-1);
    const answer = await sim.press(expert, sent, "📝 做成课程");
    expect(answer?.text).toBe("已把问题 #1 的问答做成课程草稿，交给 1 位县级组织者审阅。");
    const note = await sim.waitForBotMessage(steps.dm(county), has("做成了课程草稿"), { after: before });
    // Names and text the bot did not write are shown as written, not as markup.
    expect(note.text).toContain("专家 张工<专家> 把一条问答做成了课程草稿");
    expect(note.text).toContain(`“${QUESTION}”（实用技术）`);
    expect((await sim.press(expert, sent, "📝 做成课程"))?.text).toBe("这条回答已经做成课程草稿了。");
    expect(await app.redis.hlen("sx:written:proposals")).toBe(1);
  });

  it("the organiser reviews it as a draft, adds a quiz question, previews and publishes it: a technology lesson with the expert's picture", async () => {
    const note = sim.botMessages(steps.dm(county)).find(has("做成了课程草稿")) as SimMessage;
    await steps.step(county, () => sim.press(county, note, "审阅草稿"), has("现在可以发送图片"));
    expect(sim.botMessages(steps.dm(county)).some(has("这是专家 张工<专家> 的回答做成的草稿"))).toBe(true);
    await steps.step(county, () => sim.sendPoll(county, steps.dm(county), { question: "尿素应当怎样施？", options: ["分两次施", "一次施完"], correct_option_id: 0 }), has("1 道测验题"));
    const start = steps.lastFromBot(county).message_id;
    await steps.previewAndPublish(county);
    const preview = sim.botMessages(steps.dm(county)).filter((m) => m.message_id > start);
    expect(preview[1]?.photo).toBeDefined();
    const body = preview.find((m) => (m.html ?? "").includes("问："));
    expect(body?.html).toContain(`<b>问：</b>化肥 &lt;b&gt;用量&lt;/b&gt; &amp; &quot;尿素&quot; 怎么算？`);
    expect(body?.html).toContain("<b>答（张工&lt;专家&gt;）：</b>每亩 &lt;20 kg&gt; &amp; 分两次施");

    const lesson = app.services.lessons.lessonByRef(lessonRef("q-1-1"));
    expect(lesson?.track).toBe("technology");
    expect(lesson?.title).toBe(QUESTION);
    expect(lesson?.quiz).toHaveLength(1);
    expect(lesson?.media.map((m) => m.kind)).toEqual(["photo"]);
  });

  it("reviewing it once more after it was published says so and opens no draft", async () => {
    const note = sim.botMessages(steps.dm(county)).find(has("做成了课程草稿")) as SimMessage;
    expect((await sim.press(county, note, "审阅草稿"))?.text).toBe("这份草稿已经由组织者发布了。");
    expect(await app.services.authoring.hasDraft(county.id)).toBe(false);
  });
});
