import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimChat, SimMessage, SimUser, Simulator } from "../../tools/simulator/index.js";
import { manualClock, tickUntilIdle, type InProcess } from "../support/in-process.js";
import { freePort } from "../support/redis-server.js";
import { startAppStage, type AppStage } from "../support/stage.js";
import { waitFor } from "../support/wait-for.js";

// Tuesday 2026-12-01 20:00 in Shanghai (12:00 UTC); the week 2026-W49 runs Monday 30 November to Sunday 6 December.
const T0 = Date.parse("2026-12-01T12:00:00Z");
const DAY = 86_400_000;
const at2030 = (day: number) => Date.parse("2026-12-01T12:30:00Z") + day * DAY;

let stage: AppStage;
let sim: Simulator;
let app: InProcess;
const clock = manualClock(T0);
let admin: SimUser;
let li: SimUser;
let wang: SimUser;
let group: SimChat;
let consoleBase: string;

const cardsOf = (u: SimUser) => app.redis.hlen(`sx:{u${u.id}}:review:cards`);
const privateOf = (u: SimUser) => sim.botMessages(sim.privateChat(u));
const reminders = (u: SimUser) => privateOf(u).filter((m) => (m.text ?? "").startsWith("⏰ 今天有"));
const pollsTo = (chat: SimChat) => sim.botMessages(chat).filter((m) => m.poll);
const wrongOption = (m: SimMessage) => ((m.poll?.correct_option_ids?.[0] ?? 0) + 1) % (m.poll?.options.length ?? 2);
const rightOption = (m: SimMessage) => m.poll?.correct_option_ids?.[0] ?? 0;

async function say(from: SimUser, chat: SimChat, text: string, match: (m: SimMessage) => boolean): Promise<SimMessage> {
  const before = sim.messages(chat).at(-1);
  await sim.send(from, chat, text);
  return sim.waitForBotMessage(chat, match, { after: before });
}

/** The reminder pass at a moment: the scheduler's ticks (timers) and the outbox, until nothing is left. */
async function tickAt(at: number): Promise<void> {
  clock.set(at);
  await tickUntilIdle(app.services);
}

beforeAll(async () => {
  stage = await startAppStage();
  sim = stage.sim;
  const port = await freePort();
  consoleBase = `http://127.0.0.1:${port}`;
  // The console on, so its group view can be held against /stats.
  app = await stage.app({ clock, run: { updates: true }, env: { PUBLIC_URL: consoleBase, PORT: String(port) } });
  admin = sim.user({ first_name: "王书记" });
  li = sim.user({ first_name: "李明" });
  wang = sim.user({ first_name: "王强" });
  group = sim.group({ title: "复习村", type: "supergroup", admins: [admin], members: [li, wang] });
  sim.addBot(group, { by: admin, asAdmin: true });
  await sim.waitForBotMessage(group, (m) => (m.text ?? "").includes("三学助手"));
  await sim.startPrivate(li);
  await waitFor(async () => (await app.services.groups.user(li.id))?.privateOk, { message: "李明 started the bot" });
}, 60_000);
afterAll(async () => {
  await app?.close();
  await stage?.close();
});

describe("spaced review end to end", () => {
  it("a wrong lesson-quiz answer comes back in /review once due, and once answered is not due again that day", async () => {
    await say(admin, group, "/push technology", (m) => Boolean(m.reply_markup));
    await sim.send(admin, group, "/quiz technology");
    await sim.waitFor(() => pollsTo(group).length === 2, { message: "the lesson's two quiz polls" });
    const [q1, q2] = pollsTo(group) as [SimMessage, SimMessage];
    await sim.answerPoll(li, q1, [wrongOption(q1)]);
    await sim.answerPoll(li, q2, [rightOption(q2)]);
    await sim.answerPoll(wang, q1, [wrongOption(q1)]);
    await waitFor(async () => (await cardsOf(li)) === 2 && (await cardsOf(wang)) === 1, { message: "cards graded" });

    // The same evening nothing is due: the wrong answer comes back tomorrow.
    const none = await say(li, sim.privateChat(li), "/review", (m) => (m.text ?? "").includes("今天没有到期的题"));
    expect(none.text).toContain("2026-12-02 20:");

    clock.set(T0 + DAY + 3600_000); // Wednesday 21:00
    const intro = await say(li, sim.privateChat(li), "/review", (m) => (m.text ?? "").includes("该复习了"));
    expect(intro.text).toContain("今天有 1 道题");
    const poll = await sim.waitForBotMessage(sim.privateChat(li), (m) => Boolean(m.poll), { after: intro });
    expect(poll.poll?.question).toBe(q1.poll?.question);
    expect(poll.poll?.type).toBe("quiz");
    expect(poll.poll?.is_anonymous).toBe(false);

    const before = sim.messages(sim.privateChat(li)).at(-1);
    await sim.answerPoll(li, poll, [rightOption(poll)]);
    await sim.waitForBotMessage(sim.privateChat(li), (m) => (m.text ?? "").includes("今天的复习全部完成"), { after: before });

    clock.advance(2 * 3600_000); // 23:00 the same day
    await say(li, sim.privateChat(li), "/review", (m) => (m.text ?? "").includes("今天没有到期的题"));
    const me = await say(li, sim.privateChat(li), "/me", (m) => (m.text ?? "").includes("待复习"));
    expect(me.text).toContain("今日待复习 0 题 · 连续复习 1 天");
  });

  it("the daily reminder comes once at the chosen time, only when something is due, never to a member who did not start the bot", async () => {
    const on = await say(li, sim.privateChat(li), "/review on 20:30", (m) => (m.text ?? "").includes("20:30"));
    expect(on.text).toContain("Asia/Shanghai");
    // 王强 never started the bot: a reminder set for him (he could not have asked in private) is still never sent.
    await app.services.reminders.on(wang.id, { hour: 20, minute: 30 }, "zh");

    // Thursday 20:30: 李明 has nothing due (his next questions are due from Friday); 王强's wrong answer is due.
    await tickAt(at2030(2) + 2000);
    expect(reminders(li)).toHaveLength(0);
    // Friday 20:30: the question 李明 had right on Tuesday is due (three days on): one reminder, and a second tick adds none.
    await tickAt(at2030(3) + 2000);
    await tickAt(at2030(3) + 4000);
    await sim.waitFor(() => reminders(li).length === 1, { message: "one reminder" });
    expect(reminders(li)[0]?.text).toContain("今天有 1 道题该复习了");
    await tickAt(at2030(3) + 60_000);
    expect(reminders(li)).toHaveLength(1);
    // Not even tried: no send to him at all (a 403 would look the same in his chat).
    expect(sim.calls.filter((c) => Number(c.params.chat_id) === wang.id)).toEqual([]);
    expect(await app.redis.zcard(`sx:{u${wang.id}}:review:due`)).toBe(1);
  });

  it("a question forgotten in /review shows in the group's /stats with the share of members reviewing", async () => {
    const intro = await say(li, sim.privateChat(li), "/review", (m) => (m.text ?? "").includes("该复习了"));
    const poll = await sim.waitForBotMessage(sim.privateChat(li), (m) => Boolean(m.poll), { after: intro });
    const before = sim.messages(sim.privateChat(li)).at(-1);
    await sim.answerPoll(li, poll, [wrongOption(poll)]);
    await sim.waitForBotMessage(sim.privateChat(li), (m) => (m.text ?? "").includes("今天的复习全部完成"), { after: before });

    const stats = await say(admin, group, "/stats", (m) => (m.text ?? "").includes("错题复习"));
    expect(stats.text).toMatch(/🧠 错题复习 1\/\d+ 人/);
    expect(stats.text).toContain("最常遗忘的题");
    expect(stats.text).toContain(`${poll.poll?.question} · 遗忘 1 次`);

    // The console's group view gives the same review figures, from the same week's stats.
    const initData = sim.webAppInitData(admin, { authDate: Math.floor(clock.now() / 1000) });
    const res = await fetch(`${consoleBase}/console/api/group/${group.id}`, { headers: { authorization: `tma ${initData}` } });
    expect(res.status).toBe(200);
    const view = (await res.json()) as { stats: { members: number; review: { members: number; answers: number; forgotten?: { question: string; times: number }[] } } };
    const { members, answers } = view.stats.review;
    expect(stats.text).toContain(`🧠 错题复习 ${members}/${view.stats.members} 人`);
    expect(stats.text).toContain(`共答 ${answers} 题`);
    expect(members).toBe(1);
    expect(view.stats.review.forgotten).toEqual([{ question: poll.poll?.question, times: 1 }]);
  });

  it("answers in a contest and in private practice grade cards too", async () => {
    const cards = await cardsOf(li);
    await say(admin, group, "/contest village-basics 1", (m) => Boolean(m.poll));
    const contestPoll = pollsTo(group).at(-1)!;
    await sim.answerPoll(li, contestPoll, [rightOption(contestPoll)]);
    await waitFor(async () => (await cardsOf(li)) === cards + 1, { message: "the contest answer graded" });

    const practice = await say(li, sim.privateChat(li), "/practice", (m) => Boolean(m.poll));
    await sim.answerPoll(li, practice, [wrongOption(practice)]);
    const graded = await waitFor(async () => {
      const all = await app.redis.hgetall(`sx:{u${li.id}}:review:cards`);
      return Object.values(all).some((raw) => raw.endsWith(`,${practice.poll?.id}`));
    }, { message: "the practice answer graded its card" });
    expect(graded).toBe(true);
  });

  it("when the group's time zone changes, the next reminder comes at the chosen time in the new zone, not at the old hour", async () => {
    clock.set(Date.parse("2026-12-05T02:00:00Z")); // Saturday 10:00 in Shanghai; 李明's reminder is set for 20:30 there
    const timer = async () => Number(await app.redis.zscore("sx:{timers}", `review-remind:${li.id}`));
    expect(await timer()).toBe(at2030(4));
    await say(admin, group, "/settings tz Europe/London", (m) => (m.text ?? "").includes("Europe/London"));
    const londonAt2030 = Date.parse("2026-12-05T20:30:00Z");
    expect(await timer()).toBe(londonAt2030);

    const before = reminders(li).length;
    await tickAt(at2030(4) + 2000); // 20:30 in Shanghai, 12:30 in London: nothing
    expect(reminders(li)).toHaveLength(before);
    await tickAt(londonAt2030 + 2000);
    await sim.waitFor(() => reminders(li).length === before + 1, { message: "the reminder at 20:30 in London" });
    await tickAt(londonAt2030 + 60_000);
    expect(reminders(li)).toHaveLength(before + 1);
    expect(await timer()).toBe(londonAt2030 + DAY);
  });
});
