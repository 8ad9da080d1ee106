import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimulator, type SimChat, type SimMessage, type SimUser, type Simulator } from "../../tools/simulator/index.js";
import { groupKey } from "../../src/shared/keys.js";
import { startBot, type BotProcess } from "../support/bot-process.js";
import { FIXTURE_CONTENT } from "../support/scene.js";
import { startRedisCluster, type TestRedisCluster } from "../support/redis-cluster.js";
import { parseCsv } from "../reports/csv.js";

/**
 * The real bot process on a three-node Redis Cluster: lessons, sign-ins, quizzes, questions to
 * experts and reports in several groups whose keys land on every node. Any cross-slot request fails.
 */
let sim: Simulator;
let cluster: TestRedisCluster;
let bot: BotProcess;
let experts: SimChat;
let expert: SimUser;
const bots: BotProcess[] = [];

interface Village {
  group: SimChat;
  admin: SimUser;
  li: SimUser;
  zhang: SimUser;
  question: string;
}
const villages: Village[] = [];

const text = (m: SimMessage | undefined) => m?.text ?? m?.caption ?? "";
const withButtons = (m: SimMessage) => Boolean(m.reply_markup?.inline_keyboard?.length);
const polls = (chat: SimChat) => sim.botMessages(chat).filter((m) => m.poll);
const answersRecorded = () => bot.logs.filter((l) => l.includes('"msg":"quiz answer recorded"')).length;
/** What a cluster says when a request spans slots: the server's CROSSSLOT, or ioredis refusing it first. */
const CROSS_SLOT = /CROSSSLOT|same slot|slots allocation group/;

async function say(from: SimUser, chat: SimChat, line: string, match: (m: SimMessage) => boolean = () => true): Promise<SimMessage> {
  const before = sim.messages(chat).at(-1);
  await sim.send(from, chat, line);
  return sim.waitForBotMessage(chat, match, { after: before, timeout: 15_000 });
}

async function newVillage(n: number): Promise<Village> {
  const admin = sim.user({ first_name: `王书记${n}` });
  const li = sim.user({ first_name: `李明${n}` });
  const zhang = sim.user({ first_name: `张三${n}` });
  const group = sim.group({ title: `集群${n}村`, type: "supergroup", admins: [admin], members: [li, zhang] });
  return { group, admin, li, zhang, question: `第${n}村的玉米怎么施肥？` };
}

beforeAll(async () => {
  sim = await createSimulator({ limits: false, botUsername: "sanxue_test_bot" });
  cluster = await startRedisCluster();
  expert = sim.user({ first_name: "张工" });
  experts = sim.group({ title: "专家群", admins: [expert] });
  bot = await startBot({
    BOT_TOKEN: sim.token,
    TELEGRAM_API_ROOT: sim.apiRoot,
    REDIS_URL: cluster.url,
    CONTENT_DIR: FIXTURE_CONTENT,
    EXPERTS_CHAT_ID: String(experts.id),
  });
  bots.push(bot);
  // Groups until their keys sit on all three nodes (chat ids decide the slots).
  const nodes = new Set<number>();
  for (let n = 1; nodes.size < cluster.ports.length || villages.length < 3; n++) {
    const v = await newVillage(n);
    villages.push(v);
    nodes.add(await cluster.portOf(groupKey(v.group.id, "group")));
    if (n > 40) throw new Error("group keys never reached every node");
  }
  sim.addBot(experts, { by: expert, asAdmin: true });
  for (const v of villages) {
    sim.addBot(v.group, { by: v.admin, asAdmin: true });
    await sim.waitForBotMessage(v.group, (m) => text(m).includes("三学助手"));
    await sim.startPrivate(v.admin);
  }
}, 120_000);

afterAll(async () => {
  await Promise.all(bots.map((b) => b.kill()));
  await sim?.close();
  await cluster?.destroy();
});

describe("the bot on a Redis Cluster", () => {
  it("connects to all three masters", async () => {
    expect(await bot.waitForLog(/"msg":"redis cluster connected"/)).toContain('"masters":3');
  });

  it("lessons: /push, and Studied counts once per member", async () => {
    for (const v of villages) {
      const lesson = await say(v.admin, v.group, "/push technology", withButtons);
      expect(text(lesson)).toContain("选种");
      expect((await sim.press(v.li, lesson, "已学习 ✓"))?.text).toContain("已记录");
      expect((await sim.press(v.zhang, lesson, "已学习 ✓"))?.text).toContain("已记录");
      expect((await sim.press(v.li, lesson, "已学习 ✓"))?.text).toContain("已经记录过");
    }
  });

  it("sign-ins: open, presses (a second press counts nothing), close", async () => {
    for (const v of villages) {
      const message = await say(v.admin, v.group, "/open_signin 20 周会", (m) => withButtons(m) && text(m).includes("周会"));
      expect((await sim.press(v.li, message, "签到 ✋"))?.text).toContain("签到成功");
      expect((await sim.press(v.zhang, message, "签到 ✋"))?.text).toContain("签到成功");
      expect((await sim.press(v.li, message, "签到 ✋"))?.text).toContain("已经签到过");
      expect(text(await say(v.admin, v.group, "/close_signin"))).toContain("已签到 2 人");
    }
  });

  it("quizzes: polls with the content's answers, each answer once, results after closing", async () => {
    for (const v of villages) {
      const before = polls(v.group).length;
      await sim.send(v.admin, v.group, "/quiz technology");
      await sim.waitFor(() => polls(v.group).length === before + 2, { message: "two quiz polls" });
      const [q1, q2] = polls(v.group).slice(before) as [SimMessage, SimMessage];
      const target = answersRecorded() + 4;
      await sim.answerPoll(v.li, q1, [0]);
      await sim.answerPoll(v.li, q2, [1]);
      await sim.answerPoll(v.zhang, q1, [2]);
      await sim.answerPoll(v.zhang, q2, [1]);
      await sim.waitFor(() => answersRecorded() >= target, { message: "answers recorded" });
      const last = sim.messages(v.group).at(-1);
      sim.closePoll(q1.poll!.id);
      sim.closePoll(q2.poll!.id);
      const results = await sim.waitForBotMessage(v.group, (m) => text(m).includes("小测结果"), { after: last });
      expect(text(results)).toContain("参与 2 人 · 答对率 75%");
    }
  });

  it("questions: /ask reaches the experts' chat and the expert's reply comes back to the asker", async () => {
    for (const v of villages) {
      const asked = await sim.send(v.li, v.group, `/ask ${v.question}`);
      const picker = await sim.waitForBotMessage(v.group, (m) => m.reply_to_message_id === asked.message_id);
      expect((await sim.press(v.li, picker, "实用技术"))?.text).toContain("已转给专家");
      const card = await sim.waitForBotMessage(experts, (m) => text(m).includes(v.question));
      const number = /问题 #(\d+)/.exec(text(card))?.[1];
      expect(number).toBeDefined();
      const before = sim.messages(v.group).at(-1);
      await sim.send(expert, experts, `${v.group.title}：分两次施`, { replyTo: card });
      const answer = await sim.waitForBotMessage(v.group, (m) => text(m).includes("分两次施"), { after: before });
      expect(answer.reply_to_message_id).toBe(asked.message_id);
      expect(text(answer)).toContain(`专家 张工 回答了问题 #${number}`);
      expect(text(answer)).toContain(`${v.group.title}：分两次施`);
    }
  });

  it("/stats shows each group's own numbers", async () => {
    for (const v of villages) {
      const dm = sim.privateChat(v.admin);
      const before = sim.messages(dm).at(-1);
      const stats = text(await say(v.admin, v.group, "/stats", (m) => text(m).includes("成员")));
      expect(stats).toContain("成员 3 人");
      expect(stats).toMatch(/67%\s+2\s+选种/);
      expect(stats).toContain("签到 1 场");
      expect(stats).toContain("答题参与 2/3 人");
      expect(stats).toContain("提问 1 个，已答复 1 个");
      // Names go only to the organiser, privately.
      expect(stats).not.toContain("李明");
      const full = await sim.waitForBotMessage(dm, (m) => text(m).includes("成员"), { after: before, timeout: 15_000 });
      expect(text(full)).toMatch(/1\.\s+\d+\s+李明/);
    }
  });

  it("/export rows equal what happened in each group", async () => {
    for (const v of villages) {
      const dm = sim.privateChat(v.admin);
      const before = sim.messages(dm).at(-1);
      await say(v.admin, v.group, "/export 1", (m) => !m.document);
      const csv = await sim.waitForBotMessage(dm, (m) => Boolean(m.document?.file_name?.endsWith(".csv")), { after: before });
      const rows = parseCsv(csv.document!.bytes);
      expect(rows[0]?.slice(0, 7)).toEqual(["user_id", "name", "lessons_studied", "signins", "quiz_answers", "quiz_correct", "questions_asked"]);
      const byId = new Map(rows.slice(1).map((r) => [Number(r[0]), r.slice(1, 7)]));
      expect(byId.get(v.li.id)).toEqual([v.li.first_name, "1", "1", "2", "2", "1"]);
      expect(byId.get(v.zhang.id)).toEqual([v.zhang.first_name, "1", "1", "2", "1", "0"]);
      expect(byId.get(v.admin.id)?.slice(1)).toEqual(["0", "0", "0", "0", "0"]);
    }
  });

  it("every node holds data, and no request of the bot spanned slots", async () => {
    for (let i = 0; i < cluster.ports.length; i++) expect(Number((await cluster.cli(i, "DBSIZE")).trim())).toBeGreaterThan(0);
    expect(bot.logs.filter((l) => CROSS_SLOT.test(l))).toEqual([]);
    expect(bot.logs.filter((l) => /"level":(50|60)/.test(l))).toEqual([]);
  });

  it("a restarted bot that names the cluster by REDIS_CLUSTER_NODES finds everything again", async () => {
    expect(await bot.stop()).toBe(0);
    bot = await startBot({
      BOT_TOKEN: sim.token,
      TELEGRAM_API_ROOT: sim.apiRoot,
      REDIS_CLUSTER_NODES: cluster.nodes,
      CONTENT_DIR: FIXTURE_CONTENT,
      EXPERTS_CHAT_ID: String(experts.id),
    });
    bots.push(bot);
    for (const v of villages) {
      const stats = text(await say(v.admin, v.group, "/stats", (m) => text(m).includes("成员")));
      expect(stats).toContain("答题参与 2/3 人");
      const lesson = sim.botMessages(v.group).find((m) => withButtons(m) && text(m).includes("选种")) as SimMessage;
      expect((await sim.press(v.zhang, lesson, "已学习 ✓"))?.text).toContain("已经记录过");
    }
    expect(bot.logs.filter((l) => CROSS_SLOT.test(l) || /"level":(50|60)/.test(l))).toEqual([]);
  });
});
