/**
 * The demo's week in 红星村学习群, played on a DemoStage: the Monday lesson from the schedule with its sign-in and
 * quiz, Studied presses, a question relayed to the experts and answered, `/stats`, and the next Monday's report
 * from the scheduled job. Each step waits for what the bot sends in the simulator and keeps it, for the demo to
 * print and for the test (test/demo) to check.
 */
import { localParts, shiftWeek, weekBounds, weekIdAt } from "../../src/shared/week.js";
import type { SimChat, SimMessage, SimUser } from "../simulator/index.js";
import { TIME_ZONE, type DemoStage } from "./demo-stage.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const STUDIED = "已学习 ✓";
const TIMEOUT = { timeout: 15_000 };

const DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const text = (m: SimMessage) => m.text ?? m.caption ?? "";
const buttonLabels = (m: SimMessage) => (m.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.text);

/**
 * 09:00 on the Tuesday of the week before `now`'s (Asia/Shanghai): the demo plays last week, the report comes this
 * Monday. The bot joins on Tuesday, so the first lesson is Wednesday's (the default schedule's policy lesson, which
 * has a quiz; Monday's first constitution lesson has none).
 */
export function demoWeekStart(now: number): number {
  const { start } = weekBounds(shiftWeek(weekIdAt(now, TIME_ZONE), -1), TIME_ZONE);
  return start + DAY + 9 * HOUR;
}

export interface PlayedWeek {
  weekId: string;
  welcome: SimMessage;
  lesson: SimMessage;
  /** Each press's toast, in order (李明 presses twice). */
  studied: { who: SimUser; toast: string | undefined }[];
  signin: SimMessage;
  signinToasts: { who: SimUser; toast: string | undefined }[];
  excused: SimMessage;
  signinClosed: SimMessage;
  quiz: { polls: SimMessage[]; results: SimMessage; answers: { who: SimUser; question: string; right: boolean }[] };
  question: { asked: SimMessage; card: SimMessage; answer: SimMessage; relayed: SimMessage };
  stats: { inGroup: SimMessage; privately: SimMessage };
  report: { text: SimMessage; chart: SimMessage; workbook: SimMessage; slotAt: number };
}

/** `say` gets the demo's own lines (the day and time as the clock moves); the simulator prints the conversation. */
export async function playWeek(stage: DemoStage, say: (line: string) => void = () => undefined): Promise<PlayedWeek> {
  const { sim, cast } = stage;
  const { secretary, li, zhang, zhao, liu, expert, group, experts } = cast;
  const tuesday = stage.clock.now() - (stage.clock.now() % 1000);
  const weekId = weekIdAt(tuesday, TIME_ZONE);
  const when = (at: number) => {
    const p = localParts(at, TIME_ZONE);
    const two = (n: number) => String(n).padStart(2, "0");
    return `${DAYS[p.weekday - 1] ?? ""} ${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}`;
  };
  const at = async (ms: number, what: string) => {
    await stage.settled();
    say(`\n──── ${when(ms)} (${TIME_ZONE}) · ${what} ────`);
    return stage.at(ms);
  };
  const last = (chat: SimChat) => sim.messages(chat).at(-1);
  const botSays = (chat: SimChat, match: (m: SimMessage) => boolean, after = last(chat)) => sim.waitForBotMessage(chat, match, { after, ...TIMEOUT });
  const command = async (who: SimUser, chat: SimChat, line: string, match: (m: SimMessage) => boolean = () => true) => {
    const before = last(chat);
    await sim.send(who, chat, line);
    return botSays(chat, match, before);
  };

  // Tuesday morning: the secretary adds the bot; the experts' chat gets it too; the secretary starts the bot privately.
  await at(tuesday, "the bot joins the village group and the experts' chat");
  let before = last(experts);
  sim.addBot(experts, { by: expert, asAdmin: true });
  await botSays(experts, () => true, before);
  before = last(group);
  sim.addBot(group, { by: secretary, asAdmin: true });
  const welcome = await botSays(group, (m) => text(m).includes("三学助手"), before);
  await command(secretary, sim.privateChat(secretary), "/start");
  // 刘 & 陈 joins the group now (the bot, an administrator, sees it) and then does nothing all week: the absent member.
  sim.join(group, liu);

  // Wednesday 20:00: the schedule's lesson, with its sign-in (open two hours, late after ten minutes).
  const pushAt = tuesday + DAY + 11 * HOUR;
  before = last(group);
  const slot = await at(pushAt + 5000, "the scheduled lesson (the schedule's Wednesday 20:00 slot)");
  if (slot.slots < 1) throw new Error(`no lesson slot was due at ${when(pushAt)}`);
  const lesson = await botSays(group, (m) => buttonLabels(m).includes(STUDIED), before);
  const signin = await botSays(group, (m) => buttonLabels(m).some((b) => b.startsWith("签到")), before);
  const signinButton = buttonLabels(signin).find((b) => b.startsWith("签到")) ?? "签到 ✋";

  await at(pushAt + 2 * 60_000, "members press Studied and sign in");
  const studied: PlayedWeek["studied"] = [];
  for (const who of [li, zhang, zhao, li]) studied.push({ who, toast: (await sim.press(who, lesson, STUDIED))?.text });
  const signinToasts: PlayedWeek["signinToasts"] = [{ who: li, toast: (await sim.press(li, signin, signinButton))?.text }];
  const excused = await command(zhao, group, "/leave 在外务工，今晚不能参加", (m) => text(m).includes("请假"));

  await at(pushAt + 15 * 60_000, "张<芳> arrives late");
  signinToasts.push({ who: zhang, toast: (await sim.press(zhang, signin, signinButton))?.text });

  // 21:00: the lesson's quiz (quiz_after_minutes: 60), a timer the scheduler pass runs.
  before = last(group);
  await at(pushAt + HOUR + 60_000, "the lesson's quiz (an hour after the lesson)");
  const first = await botSays(group, (m) => Boolean(m.poll), before);
  await new Promise((r) => setTimeout(r, 300));
  const polls = sim.botMessages(group).filter((m) => m.poll && m.message_id >= first.message_id);
  const answers: PlayedWeek["quiz"]["answers"] = [];
  const answer = async (who: SimUser, poll: SimMessage, right: boolean) => {
    const p = poll.poll;
    if (!p) return;
    const correct = p.correct_option_ids ?? [];
    const option = right ? (correct[0] ?? 0) : p.options.findIndex((_, i) => !correct.includes(i));
    await sim.answerPoll(who, poll, [option]);
    answers.push({ who, question: p.question, right });
  };
  for (const poll of polls) await answer(li, poll, true);
  if (polls[0]) {
    await answer(zhang, polls[0], false);
    await answer(zhao, polls[0], true);
  }

  // 21:11: the quiz polls close (ten minutes open); the results follow.
  before = last(group);
  await at(pushAt + HOUR + 12 * 60_000, "the quiz closes (its polls are open ten minutes)");
  const quizResults = await botSays(group, (m) => text(m).includes("小测结果"), before);

  // 22:00: the sign-in closes on its timer; the secretary (who started the bot) gets the lists privately.
  await at(pushAt + 2 * HOUR + 60_000, "the sign-in closes (two hours after it opened)");
  const signinClosed = await sim.waitFor(() => sim.messages(group).find((m) => m.message_id === signin.message_id && text(m).includes("签到已结束")), {
    ...TIMEOUT, message: "the sign-in message edited to its result",
  });

  // Thursday: a member's question goes to the experts' chat; an expert's reply comes back under it.
  await at(tuesday + 2 * DAY + HOUR, "a question to the experts");
  const asked = await sim.send(zhao, group, "/ask 果树什么时候剪枝最好？<老枝> & 新枝都要剪吗？");
  const picker = await botSays(group, (m) => m.reply_to_message_id === asked.message_id && buttonLabels(m).includes("实用技术"), asked);
  const beforeCard = last(experts);
  await sim.press(zhao, picker, "实用技术");
  const card = await botSays(experts, (m) => text(m).includes("果树"), beforeCard);
  await at(tuesday + 2 * DAY + 3 * HOUR, "an expert answers");
  before = last(group);
  const expertAnswer = await sim.send(expert, experts, "冬季落叶后到萌芽前修剪最好；病枝、枯枝和交叉枝要剪掉，健壮的新枝留着结果。", { replyTo: card });
  const relayed = await botSays(group, (m) => text(m).includes("冬季落叶后"), before);

  // Friday evening, before the 20:00 lesson: the secretary asks for the week's figures in the group.
  await at(tuesday + 3 * DAY + 10 * HOUR, "/stats in the group");
  const beforePrivate = last(sim.privateChat(secretary));
  const inGroup = await command(secretary, group, "/stats", (m) => text(m).includes("📊"));
  const privately = await botSays(sim.privateChat(secretary), (m) => text(m).includes("📊"), beforePrivate);

  // Next Monday 08:00: the scheduled weekly report (weekly_report: "0 8 * * 1") to the organisers privately.
  const slotAt = weekBounds(shiftWeek(weekId, 1), TIME_ZONE).start + 8 * HOUR; // Asia/Shanghai keeps no summer time
  const dm = sim.privateChat(secretary);
  before = last(dm);
  const reportSlot = await at(slotAt + 5000, "the Monday report, the schedule's weekly_report slot (the clock jumped past Friday's 20:00 lesson)");
  if (reportSlot.slots < 1) throw new Error(`no report slot was due at ${when(slotAt)}`);
  const chart = await botSays(dm, (m) => Boolean(m.photo), before);
  const reportText = await botSays(dm, (m) => text(m).includes(weekId), before);
  const workbook = await botSays(dm, (m) => Boolean(m.document), before);
  await stage.settled();

  return {
    weekId, welcome, lesson, studied, signin, signinToasts, excused, signinClosed,
    quiz: { polls, results: quizResults, answers },
    question: { asked, card, answer: expertAnswer, relayed },
    stats: { inGroup, privately },
    report: { text: reportText, chart, workbook, slotAt },
  };
}
