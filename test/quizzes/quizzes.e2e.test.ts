import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStage, type Stage } from "../support/scene.js";
import type { SimChat, SimMessage, SimUser } from "../../tools/simulator/index.js";

let stage: Stage;
let admin: SimUser;
let li: SimUser;
let zhang: SimUser;
let group: SimChat;

const polls = (chat: SimChat) => stage.sim.botMessages(chat).filter((m) => m.poll);
const answersRecorded = () => stage.bot.logs.filter((l) => l.includes('"msg":"quiz answer recorded"')).length;
const right = (m: SimMessage) => m.poll?.correct_option_ids?.[0] ?? -1;

async function command(
  from: SimUser,
  chat: SimChat,
  text: string,
  match: (m: SimMessage) => boolean = () => true,
): Promise<SimMessage> {
  const before = stage.sim.messages(chat).at(-1);
  await stage.sim.send(from, chat, text);
  return stage.sim.waitForBotMessage(chat, match, { after: before });
}

/** Answers and waits until the bot has recorded them (answers carry no message to wait for). */
async function answerAll(votes: [SimUser, SimMessage, number][]): Promise<void> {
  const target = answersRecorded() + votes.length;
  for (const [user, poll, option] of votes) await stage.sim.answerPoll(user, poll, [option]);
  await stage.sim.waitFor(() => answersRecorded() >= target, { message: "answers recorded" });
}

const lineOf = (text: string | undefined, name: string) =>
  (text ?? "").split("\n").find((l) => l.includes(name)) ?? "";

beforeAll(async () => {
  stage = await startStage();
  admin = stage.sim.user({ first_name: "王书记" });
  li = stage.sim.user({ first_name: "李明" });
  zhang = stage.sim.user({ first_name: "<b>张</b>" });
  group = stage.sim.group({ title: "红星村学习群", admins: [admin], members: [li, zhang] });
  stage.sim.addBot(group, { by: admin, asAdmin: true });
  await stage.sim.waitForBotMessage(group, (m) => (m.text ?? "").includes("三学助手"));
});

afterAll(async () => {
  await stage?.close();
});

describe("quizzes end to end", () => {
  it("/quiz before any lesson says there is none", async () => {
    const reply = await command(admin, group, "/quiz");
    expect(reply.text).toContain("还没有推送过课程");
  });

  it("a member's /quiz and /contest are refused and send no poll", async () => {
    expect((await command(li, group, "/quiz")).text).toContain("管理员");
    expect((await command(li, group, "/contest village-basics 3")).text).toContain("管理员");
    expect(polls(group)).toHaveLength(0);
  });

  it("lesson → /quiz → native quiz polls with the content's right answers → results after closing", async () => {
    const lesson = await command(admin, group, "/push technology", (m) => Boolean(m.reply_markup));
    expect((await stage.sim.press(li, lesson, "已学习 ✓"))?.text).toContain("已记录");

    const before = stage.sim.messages(group).at(-1);
    await stage.sim.send(admin, group, "/quiz technology");
    await stage.sim.waitFor(() => polls(group).length === 2, { message: "two quiz polls" });
    const [q1, q2] = polls(group) as [SimMessage, SimMessage];
    expect(q1.message_id).toBeGreaterThan(before?.message_id ?? 0);
    for (const m of [q1, q2]) {
      expect(m.poll?.type).toBe("quiz");
      expect(m.poll?.is_anonymous).toBe(false);
      expect(m.poll?.open_period).toBe(600);
    }
    expect(q1.poll?.question).toBe("买种子要看什么？");
    expect(q1.poll?.correct_option_ids).toEqual([0]);
    expect(q2.poll?.correct_option_ids).toEqual([1]);
    expect(q1.poll?.explanation).toBe("标签上有品种、产地和发芽率。");

    await answerAll([
      [li, q1, 0],
      [li, q2, 1],
      [zhang, q1, 2],
      [zhang, q2, 1],
    ]);
    const lastBefore = stage.sim.messages(group).at(-1);
    stage.sim.closePoll(q1.poll!.id);
    stage.sim.closePoll(q2.poll!.id);
    const results = await stage.sim.waitForBotMessage(group, (m) => (m.text ?? "").includes("小测结果"), {
      after: lastBefore,
    });
    expect(results.text).toContain("参与 2 人");
    expect(results.text).toContain("答对率 75%");
    expect(lineOf(results.text, "🥇")).toContain("李明");
    expect(lineOf(results.text, "🥈")).toContain("<b>张</b>"); // escaped: shown as typed, not bold
  });

  it("/top and /me show what the events imply", async () => {
    // 李明: 1 lesson studied (10) + 2 quick right answers (2 × 15); 张: 1 quick right answer (15).
    const top = await command(li, group, "/top", (m) => (m.text ?? "").includes("排行榜"));
    expect(top.text).toContain("本周排行榜");
    expect(lineOf(top.text, "李明")).toMatch(/^1\.\s+40 李明 学1·签0·题30$/);
    expect(lineOf(top.text, "<b>张</b>")).toMatch(/^2\.\s+15 <b>张<\/b> 学0·签0·题15$/);
    expect(top.text).not.toContain("王书记");
    expect(top.text).toContain("积分 = 学习课数×10 + 签到次数×10");

    const me = await command(li, group, "/me", (m) => (m.text ?? "").includes("学习记录"));
    expect(me.text).toContain(
      "本周：学习 1 课 · 签到 0 次 · 答题 2 道（答对 2，得 30 分）· 积分 40 · 第 1 名/共 2 人",
    );
    expect(me.text).toContain("累计：学习 1 课");
    const zhangMe = await command(zhang, group, "/me", (m) => (m.text ?? "").includes("学习记录"));
    expect(zhangMe.text).toContain("答题 2 道（答对 1，得 15 分）· 积分 15 · 第 2 名/共 2 人");
  });

  it("an unknown bank is named with the available ones", async () => {
    const reply = await command(admin, group, "/contest nosuch");
    expect(reply.text).toContain("nosuch");
    expect(reply.text).toContain("village-basics");
  });

  it("a contest of 3 questions runs one poll at a time and ends with a podium", async () => {
    const start = polls(group).length;
    const intro = await command(admin, group, "/contest village-basics 3", (m) =>
      (m.text ?? "").includes("竞赛开始"),
    );
    expect(intro.text).toContain("共 3 题");
    const busy = await command(
      admin,
      group,
      "/contest village-basics",
      (m) => !m.poll && m.message_id !== intro.message_id,
    );
    expect(busy.text).toContain("正在进行");
    for (let i = 0; i < 3; i++) {
      await stage.sim.waitFor(() => polls(group).length === start + i + 1, {
        message: `contest question ${i + 1}`,
      });
      const poll = polls(group).at(-1)!;
      expect(poll.poll?.open_period).toBe(30);
      const ok = right(poll);
      await answerAll([
        [li, poll, ok],
        [zhang, poll, i === 0 ? ok : (ok + 1) % poll.poll!.options.length],
      ]);
      stage.sim.closePoll(poll.poll!.id);
    }
    const podium = await stage.sim.waitForBotMessage(group, (m) => (m.text ?? "").includes("竞赛结束"), {
      after: intro,
    });
    expect(polls(group).length).toBe(start + 3);
    expect(lineOf(podium.text, "🥇")).toContain("李明 — 45 分（答对 3/3）");
    expect(lineOf(podium.text, "🥈")).toContain("<b>张</b> — 15 分（答对 1/3）");
    const top = await command(li, group, "/top all", (m) => (m.text ?? "").includes("排行榜"));
    expect(lineOf(top.text, "李明")).toMatch(/^1\.\s+85 李明/);
  });

  it("/practice in a group points to the private chat", async () => {
    const reply = await command(li, group, "/practice", (m) => !m.poll);
    expect(reply.text).toContain("私聊");
  });

  it("/practice in private: a question, feedback and the next one; stop; group scores untouched", async () => {
    await stage.sim.startPrivate(li);
    const chat = stage.sim.privateChat(li);
    await command(li, chat, "/practice technology", (m) => Boolean(m.poll));
    const first = polls(chat).at(-1)!;
    expect(first.poll?.type).toBe("quiz");
    expect(first.poll?.is_anonymous).toBe(false);
    const asked = polls(chat).length;
    await stage.sim.answerPoll(li, first, [right(first)]);
    await stage.sim.waitFor(() => polls(chat).length === asked + 1, {
      message: "the next practice question",
    });
    expect(stage.sim.botMessages(chat).some((m) => (m.text ?? "").includes("答对了"))).toBe(true);
    expect(polls(chat).at(-1)!.poll?.question).not.toBe(first.poll?.question);
    const stopped = await command(li, chat, "/practice stop");
    expect(stopped.text).toContain("共练 1 题，答对 1 题");
    const top = await command(li, group, "/top all", (m) => (m.text ?? "").includes("排行榜"));
    expect(lineOf(top.text, "李明")).toMatch(/^1\.\s+85 李明/);
  });

  it("/me in private lists the member's groups", async () => {
    const reply = await command(li, stage.sim.privateChat(li), "/me");
    expect(reply.text).toContain("红星村学习群");
    expect(reply.text).toContain("本周第 1 名/2 人");
  });
});
