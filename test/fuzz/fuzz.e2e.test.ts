import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimChat, SimMessage, SimUser } from "../../tools/simulator/index.js";
import { parseCsv } from "../reports/csv.js";
import { startStage, type Stage } from "../support/scene.js";
import {
  ABSURD_MEMBER_COMMANDS, ABSURD_ORGANISER_COMMANDS, CALLBACK_PREFIXES, HUGE_TEXT, everyFieldMutation, int, junkCallbackData,
  junkValue, memberUpdate, message, mutate, pick, press, seededRng, strangeGroup, stranger,
  type ApiUserLike, type ChatLike, type Rng,
} from "./junk.js";

/**
 * Thousands of hostile and malformed updates, interleaved with a scripted week, against the real bot
 * process, a real Redis and the simulator. Replay a failure with FUZZ_SEED=<seed> (printed on start);
 * FUZZ_LOG=<file> also writes the bot's debug log, the injected updates and the API calls next to it.
 */
const SEED = Number(process.env.FUZZ_SEED) || Math.floor(Math.random() * 2 ** 31);
const RANDOM_PER_BATCH = 450;

let stage: Stage;
let rng: Rng;
let admin: SimUser;
let li: SimUser;
let zhang: SimUser;
let zhao: SimUser;
let qian: SimUser;
let group: SimChat;
let experts: SimChat;
let lesson: SimMessage;
let signin: SimMessage | undefined;
let polls: SimMessage[] = [];
let injected = 0;
/** Presses of a well-formed shape (id → data): each must get an answer. */
const mustAnswer = new Map<string, string>();

const api = (u: SimUser): ApiUserLike => ({ id: u.id, is_bot: false, first_name: u.first_name });
const chatOf = (c: SimChat): ChatLike => ({ id: c.id, type: c.type, ...(c.title ? { title: c.title } : {}) });
const rawMessage = (m: SimMessage) => ({ message_id: m.message_id, date: Math.floor(Date.now() / 1000), chat: chatOf(m.chat), from: api(stage.sim.bot) });
/** The id part of the first button's callback data of `m` ("" before the message exists). */
const firstButtonPart = (m: SimMessage | undefined): string => {
  const b = m?.reply_markup?.inline_keyboard?.[0]?.[0];
  return String(b && "callback_data" in b ? b.callback_data : "").split(":")[1] ?? "";
};
const lessonRef = () => firstButtonPart(lesson);
const signinId = () => firstButtonPart(signin);

const injectedLog: string[] = [];

function inject(raw: Record<string, unknown>, answerExpected = false): void {
  // Copies of one template share a press id; Telegram's are unique.
  const cq = raw.callback_query as { id?: unknown } | undefined;
  if (typeof cq === "object" && cq !== null && typeof cq.id === "string" && /^(fz|nd)/.test(cq.id)) cq.id = `${cq.id}-${injected}`;
  const { update_id } = stage.sim.injectUpdate(raw);
  if (process.env.FUZZ_LOG) injectedLog.push(`${update_id} ${JSON.stringify(raw).slice(0, 400)}`);
  injected++;
  if (answerExpected) mustAnswer.set(String(cq?.id), String((cq as { data?: string }).data).slice(0, 80));
}

async function command(from: SimUser, chat: SimChat, text: string, match: (m: SimMessage) => boolean = () => true): Promise<SimMessage> {
  const before = stage.sim.messages(chat).at(-1);
  await stage.sim.send(from, chat, text);
  return stage.sim.waitForBotMessage(chat, match, { after: before, timeout: 15_000 });
}

/** Waits until the bot has taken every update and made no call for a while: the junk is handled. */
async function settle(): Promise<void> {
  let calls = -1;
  let logs = -1;
  await stage.sim.waitFor(
    () => {
      const quiet = stage.sim.queue.pendingCount === 0 && calls === stage.sim.calls.length && logs === stage.bot.logs.length;
      calls = stage.sim.calls.length;
      logs = stage.bot.logs.length;
      return quiet;
    },
    { timeout: 30_000, interval: 400, message: `the bot never went quiet (seed ${SEED})` },
  );
}

/** Junk anyone may send at any time: it touches no member of the study group. */
function strangerJunk(): void {
  const who = stranger(rng);
  const where = strangeGroup(rng);
  const dm: ChatLike = { id: who.id, type: "private", first_name: who.first_name };
  const kind = int(rng, 0, 11);
  switch (kind) {
    case 0: // unknown update kinds, empty updates, two kinds at once
      return inject(pick(rng, [
        { [pick(rng, ["business_message", "message_reaction", "channel_post", "chat_boost", "purchased_paid_media", "x"])]: junkValue(rng) },
        {},
        { message: message(dm, who, "/help"), callback_query: press(who, "ls:1", undefined) },
      ]));
    case 1: // a known kind whose body is junk
      return inject({ [pick(rng, ["message", "edited_message", "callback_query", "poll_answer", "poll", "chat_member", "my_chat_member"])]: junkValue(rng) });
    case 2: // private chats of users the bot never met
      return inject({ message: message(dm, who, pick(rng, [...ABSURD_MEMBER_COMMANDS, ...ABSURD_ORGANISER_COMMANDS, "hello", HUGE_TEXT])) });
    case 3: // unknown groups
      return inject({ message: message(where, who, pick(rng, [...ABSURD_ORGANISER_COMMANDS, ...ABSURD_MEMBER_COMMANDS])) });
    case 4: // my_chat_member for unknown chats, any status
      return inject({ my_chat_member: memberUpdate(where, who, api(stage.sim.bot), pick(rng, ["left", "member", "banana"]), pick(rng, ["member", "administrator", "kicked", "left", "restricted", "", "owner"])) });
    case 5: // chat_member with junk statuses in unknown groups
      return inject({ chat_member: memberUpdate(where, who, who, pick(rng, ["left", "member", "??"]), pick(rng, ["banana", "", "MEMBER", "member", "kicked"])) });
    case 6: // forged presses in unknown groups, private chats and inline messages
      return inject({ callback_query: press(who, junkCallbackData(rng, pick(rng, CALLBACK_PREFIXES), [lessonRef(), signinId(), String(group.id)]), pick(rng, [{ message_id: 1, date: 0, chat: where }, { message_id: 2, date: 0, chat: dm }, undefined])) }, true);
    case 7: // poll answers for unknown polls
      return inject({ poll_answer: { poll_id: pick(rng, ["", "nope", "9".repeat(40), "../x"]), user: who, option_ids: pick(rng, [[0], [], [99], [0, 1]]) } });
    case 8: // a press without data (a game button) or without anything but id and from
      return inject({ callback_query: { id: `nd${injected}`, from: who, chat_instance: "1", ...(rng() < 0.5 ? { message: { message_id: 3, date: 0, chat: where } } : {}) } }, true);
    case 9: // a stranger's junk in an unknown group, randomly broken
      return inject({ message: mutate(rng, message(where, who, pick(rng, ABSURD_MEMBER_COMMANDS))) });
    case 10: // a linked channel's post in an unknown group; an anonymous admin
      return inject({ message: message(where, { id: 777000, is_bot: false, first_name: "Telegram" }, "/stats", { sender_chat: { id: -100777, type: "channel", title: "频道" }, is_automatic_forward: true }) });
    default: // edited messages from strangers
      return inject({ edited_message: { ...message(where, who, pick(rng, ABSURD_ORGANISER_COMMANDS)), edit_date: Math.floor(Date.now() / 1000) } });
  }
}

/** Junk from the study group's own cast, only in forms that must change nothing (李明 has done everything). */
function castJunk(): void {
  const g = chatOf(group);
  const kind = int(rng, 0, 9);
  switch (kind) {
    case 0:
      return inject({ message: message(g, api(admin), pick(rng, ABSURD_ORGANISER_COMMANDS)) });
    case 1:
      return inject({ message: message(g, api(li), pick(rng, ABSURD_MEMBER_COMMANDS)) });
    case 2: // forged data for every feature's prefix, pressed on the real lesson and sign-in
      return inject({ callback_query: press(api(li), junkCallbackData(rng, pick(rng, CALLBACK_PREFIXES), [lessonRef(), signinId(), String(group.id)]), rawMessage(pick(rng, [lesson, signin ?? lesson]))) }, true);
    case 3: // a press without a message (inline), li or the admin
      return inject({ callback_query: press(api(pick(rng, [li, admin])), pick(rng, [`ls:${lessonRef()}`, `si:${signinId()}`, `st:${group.id}:l:en`]), undefined) }, true);
    case 4: // chat_member with junk statuses for the cast: nobody leaves the roster
      return inject({ chat_member: memberUpdate(g, api(admin), api(pick(rng, [li, zhang, zhao, qian])), "member", pick(rng, ["banana", "", "MEMBER", "owner", "left_by_magic"])) });
    case 5: // my_chat_member with junk statuses for the study group: the bot stays
      return inject({ my_chat_member: memberUpdate(g, api(admin), api(stage.sim.bot), "administrator", pick(rng, ["banana", "", "Administrator"])) });
    case 6: // edited commands: an edit is not a new request
      return inject({ edited_message: { ...message(g, api(admin), pick(rng, ["/push technology", "/open_signin 5 改过", "/quiz technology", "/contest village-basics 1"])), edit_date: Math.floor(Date.now() / 1000) } });
    case 7: // a linked channel's automatic forward and an anonymous admin in the study group
      return inject({ message: message(g, pick(rng, [{ id: 777000, is_bot: false, first_name: "Telegram" }, { id: 1087968824, is_bot: true, first_name: "Group" }]), pick(rng, ["/push technology", "/join", "公告", "/signin"]), { sender_chat: pick(rng, [{ id: -100777, type: "channel", title: "频道" }, g]), is_automatic_forward: true }) });
    case 8: // li's valid-shaped actions, randomly broken
      return inject(pick(rng, [
        { message: mutate(rng, message(g, api(li), pick(rng, ABSURD_MEMBER_COMMANDS))) },
        { callback_query: mutate(rng, press(api(li), `ls:${lessonRef()}`, rawMessage(lesson))) },
        { poll_answer: mutate(rng, { poll_id: pick(rng, polls).poll?.id ?? "", user: api(li), option_ids: [0] }) },
        { chat_member: mutate(rng, memberUpdate(g, api(admin), api(li), "member", "member")) },
      ]));
    default: // poll answers to the real polls: 李明 again, 钱芳 with impossible options
      return inject({ poll_answer: pick(rng, [
        { poll_id: pick(rng, polls).poll?.id ?? "", user: api(li), option_ids: pick(rng, [[0], [1], [2]]) },
        { poll_id: pick(rng, polls).poll?.id ?? "", user: api(qian), option_ids: pick(rng, [[99], [-1], [0, 1], [1, 0], [3], ["0"], [0.5], [2 ** 40]]) },
      ]) });
  }
}

/** Each field of each template once removed and once given junk. */
function systematicJunk(): void {
  const g = chatOf(group);
  const templates = [
    { message: message(g, api(li), "/stats") },
    { callback_query: press(api(li), `ls:${lessonRef()}`, rawMessage(lesson)) },
    { callback_query: press(api(li), `si:${signinId()}`, rawMessage(signin ?? lesson)) },
    { poll_answer: { poll_id: polls[0]?.poll?.id ?? "", user: api(li), option_ids: [0] } },
    { chat_member: memberUpdate(g, api(admin), api(li), "member", "member") },
    { my_chat_member: memberUpdate(strangeGroup(rng), stranger(rng), api(stage.sim.bot), "left", "member") },
    { poll: { id: "unknown-poll", question: "?", options: [{ text: "a", voter_count: 1 }], total_voter_count: 1, is_closed: true, is_anonymous: false, type: "quiz", allows_multiple_answers: false } },
    { edited_message: { ...message(g, api(admin), "/push technology"), edit_date: 1 } },
  ];
  for (const t of templates) for (const m of everyFieldMutation(rng, t)) inject(m);
}

/** A batch of junk, handled before the script goes on (a press times out after 3 s in the simulator). */
async function junkBatch(withCast: boolean): Promise<void> {
  for (let i = 0; i < RANDOM_PER_BATCH; i++) {
    if (withCast && rng() < 0.5) castJunk();
    else strangerJunk();
  }
  const t = Date.now();
  await settle();
  if (process.env.FUZZ_LOG) process.stderr.write(`batch settled in ${Date.now() - t} ms, ${injected} injected\n`);
}

beforeAll(async () => {
  process.stderr.write(`fuzz seed ${SEED} (replay with FUZZ_SEED=${SEED})\n`);
  rng = seededRng(SEED);
  stage = await startStage({
    env: process.env.FUZZ_LOG ? { LOG_LEVEL: "debug" } : {},
    prepare: (sim) => {
      const expert = sim.user({ first_name: "张工" });
      experts = sim.group({ title: "专家群", admins: [expert] });
      return { EXPERTS_CHAT_ID: String(experts.id) };
    },
  });
  const sim = stage.sim;
  admin = sim.user({ first_name: "王书记" });
  li = sim.user({ first_name: "李明" });
  zhang = sim.user({ first_name: "<b>张</b>" });
  zhao = sim.user({ first_name: "赵&四" });
  qian = sim.user({ first_name: "钱芳" });
  group = sim.group({ title: "红星村<学习>群", admins: [admin], members: [li, zhang, zhao, qian] });

  // The scripted week, with junk between its steps.
  sim.addBot(group, { by: admin, asAdmin: true });
  await sim.waitForBotMessage(group, (m) => (m.text ?? "").includes("三学助手"));
  await sim.startPrivate(admin);
  await sim.waitForBotMessage(sim.privateChat(admin));
  lesson = await command(admin, group, "/push technology", (m) => Boolean(m.reply_markup));
  await junkBatch(false);
  for (const who of [li, zhang, zhao, li]) expect(await sim.press(who, lesson, "已学习 ✓")).not.toBeNull();
  signin = await command(admin, group, "/open_signin 30 晨会", (m) => Boolean(m.reply_markup));
  await junkBatch(false);
  for (const who of [li, zhang, li]) expect(await sim.press(who, signin, "签到 ✋")).not.toBeNull();
  await command(qian, group, "/signin");
  await sim.send(admin, group, "/quiz technology");
  await sim.waitFor(() => ((polls = sim.botMessages(group).filter((m) => m.poll)), polls.length === 2), { message: "two quiz polls" });
  const [q1, q2] = polls as [SimMessage, SimMessage];
  const recorded = () => stage.bot.logs.filter((l) => l.includes('"msg":"quiz answer recorded"')).length;
  await sim.answerPoll(li, q1, [0]);
  await sim.answerPoll(li, q2, [1]);
  await sim.answerPoll(zhang, q1, [2]);
  await sim.answerPoll(zhao, q2, [1]);
  await sim.waitFor(() => recorded() >= 4, { message: "four quiz answers recorded" });
  await junkBatch(true);
  systematicJunk();
  await junkBatch(true);
  await settle();
}, 120_000);

afterAll(async () => {
  if (process.env.FUZZ_LOG && stage) {
    await stage.bot.stop();
    writeFileSync(process.env.FUZZ_LOG, stage.bot.logs.join("\n"));
    writeFileSync(`${process.env.FUZZ_LOG}.injected`, injectedLog.join("\n"));
    const failed = stage.sim.calls.filter((c) => !c.ok).map((c) => JSON.stringify({ m: c.method, e: c.error, p: JSON.stringify(c.params).slice(0, 300) }));
    const last = stage.sim.calls.map((c) => `${c.at} ${c.method} ${c.ok} ${JSON.stringify(c.params).slice(0, 120)}`);
    writeFileSync(`${process.env.FUZZ_LOG}.calls`, `${stage.sim.calls.length} calls, pending ${stage.sim.queue.pendingCount} now ${Date.now()}\n${last.join("\n")}\n${failed.join("\n")}`);
  }
  await stage?.close();
});

describe(`fuzz (seed ${SEED})`, () => {
  it("sent thousands of junk updates", () => {
    expect(injected).toBeGreaterThan(2000);
  });

  it("the bot process is still up and answers /help in the group", async () => {
    const exited = await Promise.race([stage.bot.exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 10))]);
    expect(exited).toBe(false);
    // The reply to this /help, not whatever the bot sends next (a loaded machine may still be answering the junk).
    const help = await command(li, group, "/help", (m) => (m.text ?? "").includes("/me"));
    expect(help.text).toContain("/me");
  });

  it("logs no failed update, unhandled rejection or fatal line", () => {
    const bad = stage.bot.logs.filter((l) => /"level":60|unhandled rejection|"msg":"update failed"/.test(l));
    expect(bad.slice(0, 5), `seed ${SEED}`).toEqual([]);
  });

  it("Telegram refused nothing but sends to chats that do not exist", () => {
    const refused = stage.bot.logs.filter((l) => l.includes('"msg":"Telegram refused a request"'));
    const unexpected = refused.filter((l) => !/chat not found|bot can't initiate conversation|message to (?:edit|reply) not found/.test(l));
    expect(unexpected.slice(0, 5), `seed ${SEED}`).toEqual([]);
  });

  it("every well-formed press got an answer", () => {
    const answered = new Set(stage.sim.calls.filter((c) => c.method === "answerCallbackQuery" && c.ok).map((c) => String(c.params.callback_query_id)));
    expect(mustAnswer.size).toBeGreaterThan(100);
    const unanswered = [...mustAnswer].filter(([id]) => !answered.has(id)).map(([, data]) => data);
    expect(unanswered.slice(0, 10), `seed ${SEED}`).toEqual([]);
  });

  it("the numbers are those of the scripted week alone", async () => {
    const stats = await command(admin, group, "/stats", (m) => (m.text ?? "").includes("本周推送"));
    expect(stats.text, `seed ${SEED}`).toContain("成员 5 人");
    expect(stats.text, `seed ${SEED}`).toContain("本周推送 1 节课");
    const dm = stage.sim.privateChat(admin);
    const before = stage.sim.messages(dm).at(-1);
    await stage.sim.send(admin, group, "/export 1");
    const csv = await stage.sim.waitForBotMessage(dm, (m) => Boolean(m.document?.file_name?.endsWith(".csv")), { after: before, timeout: 15_000 });
    const rows = parseCsv(csv.document!.bytes);
    const byId = new Map(rows.slice(1).map((r) => [Number(r[0]), r.slice(2, 7).join(",")]));
    // lessons_studied, signins, quiz_answers, quiz_correct, questions_asked
    expect(Object.fromEntries([admin, li, zhang, zhao, qian].map((u) => [u.first_name, byId.get(u.id)])), `seed ${SEED}`).toEqual({
      王书记: "0,0,0,0,0",
      李明: "1,1,2,2,0",
      "<b>张</b>": "1,1,1,0,0",
      "赵&四": "1,0,1,1,0",
      钱芳: "0,1,0,0,0",
    });
    expect(rows.length - 1, `seed ${SEED}`).toBe(5);
  });
});
