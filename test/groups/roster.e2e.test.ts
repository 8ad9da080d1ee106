import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimChat, SimMessage, SimUser } from "../../tools/simulator/index.js";
import { parseCsv } from "../reports/csv.js";
import { startStage, type Stage } from "../support/scene.js";

// Strangers reach a group's polls through forwarded copies: a poll_answer names only the poll.
let stage: Stage;
let redis: Redis;
let admin: SimUser;
let quiet: SimUser; // in the group, has never written there
let stranger: SimUser; // not in the group at all
let county: SimUser;
let expert: SimUser;
let expertQuiet: SimUser; // in the experts' chat, has never written there
let group: SimChat;
let experts: SimChat;
let quizPolls: SimMessage[];

const POLITE = "只对学习群的成员开放";
const text = (m: SimMessage) => m.text ?? m.caption ?? "";

async function command(from: SimUser, chat: SimChat, line: string, match: (m: SimMessage) => boolean = () => true): Promise<SimMessage> {
  const before = stage.sim.messages(chat).at(-1);
  await stage.sim.send(from, chat, line);
  return stage.sim.waitForBotMessage(chat, match, { after: before, timeout: 20_000 });
}

/** Answers a quiz poll and waits until the bot has decided about this answer, either way. */
async function answerQuiz(user: SimUser, poll: SimMessage, option: number): Promise<void> {
  await stage.sim.answerPoll(user, poll, [option]);
  const decided = new RegExp(`"poll":"${poll.poll?.id}","user":${user.id}[,}].*"msg":"quiz answer (recorded|from a non-member ignored)"`);
  await stage.bot.waitForLog(decided, 20_000);
}

const members = async () => Number((await command(admin, group, "/stats", (m) => text(m).includes("成员"))).text?.match(/成员 (\d+) 人/)?.[1]);

/** Opens and closes a sign-in nobody signs: the closing line counts everyone on the roster as absent. */
async function absentCount(): Promise<number> {
  await command(admin, group, "/open_signin 30 点名", (m) => Boolean(m.reply_markup));
  const closed = await command(admin, group, "/close_signin", (m) => text(m).includes("签到已结束"));
  return Number(text(closed).match(/未签到 (\d+) 人/)?.[1]);
}

async function exportRows(): Promise<Map<number, string[]>> {
  const dm = stage.sim.privateChat(admin);
  const before = stage.sim.messages(dm).at(-1);
  await command(admin, group, "/export", (m) => text(m).includes("私信"));
  const csv = await stage.sim.waitForBotMessage(dm, (m) => Boolean(m.document?.file_name?.endsWith(".csv")), { after: before, timeout: 20_000 });
  return new Map(parseCsv(csv.document!.bytes).slice(1).map((r) => [Number(r[0]), r]));
}

const memberChecksOf = (user: SimUser, chat: SimChat) =>
  stage.sim.calls.filter((c) => c.method === "getChatMember" && String(c.params["user_id"]) === String(user.id) && String(c.params["chat_id"]) === String(chat.id));

beforeAll(async () => {
  stage = await startStage({
    prepare: (sim) => {
      expert = sim.user({ first_name: "张工" });
      expertQuiet = sim.user({ first_name: "刘老师" });
      county = sim.user({ first_name: "县委组织部" });
      experts = sim.group({ title: "专家群", admins: [expert], members: [expertQuiet] });
      return { EXPERTS_CHAT_ID: String(experts.id), ORGANIZER_IDS: String(county.id) };
    },
  });
  redis = new Redis(stage.redis.url);
  admin = stage.sim.user({ first_name: "王书记" });
  quiet = stage.sim.user({ first_name: "李明" });
  stranger = stage.sim.user({ first_name: "路人甲" });
  group = stage.sim.group({ title: "红星村学习群", admins: [admin], members: [quiet] });
  stage.sim.addBot(experts, { by: expert, asAdmin: true });
  await stage.sim.waitForBotMessage(experts, (m) => text(m).includes("专家群"));
  stage.sim.addBot(group, { by: admin, asAdmin: true });
  await stage.sim.waitForBotMessage(group, (m) => text(m).includes("三学助手"));
  await stage.sim.startPrivate(admin);
  await stage.sim.waitForBotMessage(stage.sim.privateChat(admin));
  await command(admin, group, "/push technology", (m) => Boolean(m.reply_markup));
  await stage.sim.send(admin, group, "/quiz technology");
  quizPolls = await stage.sim.waitFor(() => {
    const found = stage.sim.botMessages(group).filter((m) => m.poll);
    return found.length === 2 ? found : undefined;
  });
});

afterAll(async () => {
  redis?.disconnect();
  await stage?.close();
});

describe("the roster holds real members only", () => {
  it("a stranger's answers to a group's quiz polls count for nothing: not on the roster, not absent, not in /export", async () => {
    expect(await members()).toBe(1); // the administrator who added the bot
    for (const poll of quizPolls) await answerQuiz(stranger, poll, 0);
    expect(await members()).toBe(1);
    expect(await absentCount()).toBe(1);
    const rows = await exportRows();
    expect(rows.has(stranger.id)).toBe(false);
    expect(await redis.sismember(`sx:{u${stranger.id}}:groups`, String(group.id))).toBe(0);
    expect(memberChecksOf(stranger, group)).toHaveLength(1); // the second answer used the cached verdict
  });

  it("a member who never wrote in the group answers a poll and is counted once Telegram confirms they are in it", async () => {
    const poll = quizPolls[0]!;
    await answerQuiz(quiet, poll, poll.poll?.correct_option_ids?.[0] ?? 0);
    expect(memberChecksOf(quiet, group)).toHaveLength(1);
    expect(await members()).toBe(2);
    expect((await exportRows()).get(quiet.id)?.slice(1, 7)).toEqual(["李明", "0", "0", "1", "1", "0"]);
  });

  it("a stranger's vote in a forwarded survey poll is not counted; a member's is", async () => {
    const title = await command(admin, group, "/survey needs", (m) => text(m).includes("学习需求调查"));
    const polls = await stage.sim.waitFor(() => {
      const found = stage.sim.botMessages(group).filter((m) => m.poll && m.message_id > title.message_id);
      return found.length === 2 ? found : undefined;
    });
    await stage.sim.answerPoll(stranger, polls[1]!, [0]);
    await stage.bot.waitForLog(new RegExp(`"user":${stranger.id}[,}].*"msg":"survey vote from a non-member ignored"`), 20_000);
    await stage.sim.answerPoll(quiet, polls[1]!, [1]);
    // Votes are handled apart from commands: ask for the results until the member's vote shows.
    let results = "";
    for (let attempt = 0; attempt < 50 && !results.includes("晚上：1"); attempt++) {
      results = text(await command(admin, group, "/survey results", (m) => text(m).includes("学习需求调查")));
    }
    expect(results).toContain("　早上：0\n　晚上：1");
    expect(await members()).toBe(2);
  });

  it("a stranger's private /lessons gets one polite line, not the group's lessons", async () => {
    const dm = stage.sim.privateChat(stranger);
    await stage.sim.startPrivate(stranger);
    await stage.sim.waitForBotMessage(dm);
    const before = stage.sim.messages(dm).at(-1);
    const reply = await command(stranger, dm, "/lessons");
    expect(text(reply)).toContain(POLITE);
    expect(reply.reply_markup).toBeUndefined();
    expect(stage.sim.botMessages(dm).filter((m) => m.message_id > (before?.message_id ?? 0))).toHaveLength(1);
  });

  it("a stranger's private /ask gets one polite line and nothing reaches the experts' chat", async () => {
    const dm = stage.sim.privateChat(stranger);
    const expertsBefore = stage.sim.botMessages(experts).length;
    expect(text(await command(stranger, dm, "/ask 化肥怎么用？"))).toContain(POLITE);
    const bare = await command(stranger, dm, "/ask");
    expect(text(bare)).toContain(POLITE); // no "what is your question?" prompt either
    expect(bare.reply_markup).toBeUndefined();
    await stage.sim.sendVoice(stranger, dm, { caption: "/ask 听听这个" });
    const voiceReply = await stage.sim.waitForBotMessage(dm, () => true, { after: bare, timeout: 20_000 });
    expect(text(voiceReply)).toContain(POLITE);
    expect(stage.sim.botMessages(experts)).toHaveLength(expertsBefore);
    expect(await redis.get("sx:{q}:seq")).toBeNull();
  });

  it("a member, a county organiser and an expert may still ask in private", async () => {
    for (const who of [quiet, county, expertQuiet]) {
      const dm = stage.sim.privateChat(who);
      await stage.sim.startPrivate(who);
      await stage.sim.waitForBotMessage(dm);
      const reply = await command(who, dm, "/ask 大棚怎么通风？");
      expect(text(reply)).toContain("你的问题属于哪一类");
    }
    expect(memberChecksOf(expertQuiet, experts)).toHaveLength(1);
  });

  it("a member's private /lessons lists the group's lessons", async () => {
    const dm = stage.sim.privateChat(quiet);
    const reply = await command(quiet, dm, "/lessons");
    expect(reply.reply_markup?.inline_keyboard.flat().map((b) => b.text).join()).toContain("红星村学习群");
  });
});
