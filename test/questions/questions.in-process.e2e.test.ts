import { Api } from "grammy";
import type { Chat } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServices, type Services } from "../../src/bot/services.js";
import { parseConfig } from "../../src/config/config.js";
import { loadCurriculum } from "../../src/content/index.js";
import type { Curriculum } from "../../src/content/types.js";
import { ALBUM_WAIT_MS } from "../../src/questions/answers.service.js";
import type { Question } from "../../src/questions/index.js";
import { createI18n, translatorOf } from "../../src/shared/i18n.js";
import { createLogger } from "../../src/shared/logger.js";
import { unpaced } from "../../src/shared/pacer.js";
import { connectRedis, type Redis } from "../../src/shared/redis.js";
import { weekIdAt } from "../../src/shared/week.js";
import { createSimulator, type SimChat, type SimMessage, type SimUser, type Simulator } from "../../tools/simulator/index.js";
import { drained, tickUntilIdle } from "../support/in-process.js";
import { memoryDelivery, SimulatedCrash } from "../support/memory-delivery.js";
import { startRedis, type TestRedis } from "../support/redis-server.js";
import { FIXTURE_CONTENT } from "../support/scene.js";

const logger = createLogger({ level: "silent" });
const t = translatorOf(createI18n("zh", () => undefined));
let server: TestRedis;
let sim: Simulator;
let curriculum: Curriculum;
let experts: SimChat;
let group: SimChat;
let expert: SimUser;
const clock = { at: Date.parse("2025-03-05T02:00:00Z"), now: () => clock.at };
const connections: Redis[] = [];
const booted: Services[] = [];

/** A fresh set of services over the same Redis: what a restarted bot process has. */
async function boot(): Promise<Services> {
  const redis = await connectRedis(server.url, logger);
  connections.push(redis);
  const config = parseConfig({ BOT_TOKEN: sim.token, TELEGRAM_API_ROOT: sim.apiRoot, REDIS_URL: server.url, EXPERTS_CHAT_ID: String(experts.id) });
  const services = createServices({
    config,
    logger,
    redis,
    api: new Api(sim.token, { apiRoot: sim.apiRoot }),
    curriculum,
    clock,
    pacer: unpaced,
    t,
    instanceId: "test",
  });
  // Relays go through the outbox: every process runs a worker.
  services.outbox.start();
  booted.push(services);
  return services;
}


async function ask(services: Services, user: SimUser, text: string): Promise<{ message: SimMessage; question: Question }> {
  const message = await sim.send(user, group, `/ask ${text}`);
  const info = await services.groups.get(group.id);
  const result = await services.questions.questions.ask({
    chatId: group.id,
    messageId: message.message_id,
    ...(info ? { group: info } : {}),
    userId: user.id,
    userName: user.first_name,
    text,
    track: "technology",
    locale: "zh",
  });
  if (result.kind !== "asked") throw new Error(`not asked: ${result.kind}`);
  return { message, question: result.question };
}

function cardOf(id: number): SimMessage {
  const card = sim.botMessages(experts).find((m) => (m.text ?? "").includes(`问题 #${id} `));
  if (!card) throw new Error(`no card for #${id}`);
  return card;
}

const reply = (m: SimMessage, card: SimMessage) => ({
  messageId: m.message_id,
  replyTo: card.message_id,
  expertId: expert.id,
  expertName: expert.first_name,
  kind: m.photo ? ("photo" as const) : ("text" as const),
  text: m.text ?? m.caption ?? "",
  ...(m.photo ? { fileId: m.photo.file_id } : {}),
  ...(m.media_group_id ? { mediaGroupId: m.media_group_id } : {}),
});

beforeAll(async () => {
  server = await startRedis();
  sim = await createSimulator({ limits: false });
  curriculum = await loadCurriculum(FIXTURE_CONTENT);
  expert = sim.user({ first_name: "张工" });
  experts = sim.group({ title: "专家群", admins: [expert] });
  sim.addBot(experts, { by: expert, asAdmin: true });
  group = sim.group({ title: "红星村学习群", admins: [expert] });
  sim.addBot(group, { by: expert, asAdmin: true });
  const services = await boot();
  await services.groups.register({ id: group.id, type: "supergroup", title: group.title as string } as Chat.SupergroupChat);
});

afterAll(async () => {
  for (const s of booted) await s.outbox.stop();
  for (const c of connections) c.disconnect();
  await sim?.close();
  await server?.destroy();
});

describe("questions on a real Redis", () => {
  it("numbers are unique and increasing under 100 concurrent asks", async () => {
    const services = await boot();
    const users = Array.from({ length: 100 }, (_, i) => sim.user({ first_name: `成员${i}` }));
    for (const u of users) sim.join(group, u);
    const results = await Promise.all(users.map((u, i) => ask(services, u, `问题 ${i}`)));
    const ids = results.map((r) => r.question.id).sort((a, b) => a - b);
    expect(new Set(ids).size).toBe(100);
    expect(ids[0]).toBe(1);
    expect(ids[99]).toBe(100);
    const open = await services.questions.questions.openList();
    expect(open).toContain("共 100 个");
    expect(open).toContain("还有 80 个");
  });

  it("a reply maps back to the right question after a restart, and a duplicate update relays once", async () => {
    const first = await boot();
    const member = sim.user({ first_name: "李明" });
    sim.join(group, member);
    const { message, question } = await ask(first, member, "大棚温度多少合适？");
    const card = cardOf(question.id);

    const restarted = await boot(); // a new process over the same Redis
    const answerMsg = await sim.send(expert, experts, "白天 25 度左右。", { replyTo: card });
    const results = await Promise.all([
      restarted.questions.answers.relay(reply(answerMsg, card)),
      restarted.questions.answers.relay(reply(answerMsg, card)),
    ]);
    expect(results.map((r) => r.kind).sort()).toEqual(["duplicate", "queued"]);
    await drained(restarted);
    const relayed = sim.botMessages(group).filter((m) => (m.text ?? "").includes("白天 25 度左右"));
    expect(relayed).toHaveLength(1);
    expect(relayed[0]?.reply_to_message_id).toBe(message.message_id);
    expect(relayed[0]?.text).toContain(`回答了问题 #${question.id}`);
    // Later, on yet another instance, the same update again: still once.
    expect((await (await boot()).questions.answers.relay(reply(answerMsg, card))).kind).toBe("duplicate");
  });

  it("a relay job retried after a crash between its steps sends the answer and the confirmation once", async () => {
    const services = await boot();
    const member = sim.user({ first_name: "孙八" });
    sim.join(group, member);
    const { question } = await ask(services, member, "化肥什么时候施？");
    const card = cardOf(question.id);
    const answerMsg = await sim.send(expert, experts, "春耕前一周施底肥。", { replyTo: card });
    const payload = { questionId: question.id, n: 1, parts: [reply(answerMsg, card)] };
    const done: Record<string, number> = {};
    // Killed right after the answer went out, before it was recorded and the expert told.
    await expect(services.questions.answers.relayJob(payload, memoryDelivery("answer-x", done, 1))).rejects.toThrow(SimulatedCrash);
    await services.questions.answers.relayJob(payload, memoryDelivery("answer-x", done));
    await services.questions.answers.relayJob(payload, memoryDelivery("answer-x", done));
    expect(sim.botMessages(group).filter((m) => (m.text ?? "").includes("春耕前一周施底肥"))).toHaveLength(1);
    expect(sim.botMessages(experts).filter((m) => (m.text ?? "").includes(`已转给问题 #${question.id}`))).toHaveLength(1);
    expect((await services.questions.answers.rate(question.id, 1, member.id, true)).kind).toBe("rated");
  });

  it("an album is collected and relayed as one media group", async () => {
    const services = await boot();
    const member = sim.user({ first_name: "王五" });
    sim.join(group, member);
    const { message, question } = await ask(services, member, "这是什么虫？");
    const card = cardOf(question.id);
    const parts = [];
    for (let i = 0; i < 3; i++) parts.push(await sim.sendPhoto(expert, experts, { replyTo: card, caption: i === 0 ? "红蜘蛛 <螨>" : "" }));
    const gid = "album-1";
    const results = await Promise.all(parts.map((p) => services.questions.answers.relay({ ...reply(p, card), mediaGroupId: gid })));
    expect(results.every((r) => r.kind === "collecting")).toBe(true);
    const album = await sim.waitFor(() => {
      const photos = sim.botMessages(group).filter((m) => m.photo && m.reply_to_message_id === message.message_id);
      return photos.length >= 3 ? photos : undefined;
    }, { timeout: ALBUM_WAIT_MS + 5000 });
    expect(new Set(album.map((m) => m.media_group_id)).size).toBe(1);
    expect(album[0]?.caption).toContain("红蜘蛛 <螨>");
    const rate = await sim.waitForBotMessage(group, (m) => (m.text ?? "").includes("有帮助吗"));
    expect(rate.reply_markup?.inline_keyboard.flat().length).toBe(3);
    await sim.waitForBotMessage(experts, (m) => (m.text ?? "").includes(`已转给问题 #${question.id}`));
  });

  it("the reminder fires once, only for an unanswered question (fake clock)", async () => {
    const services = await boot();
    const member = sim.user({ first_name: "赵六" });
    sim.join(group, member);
    const { question } = await ask(services, member, "补贴怎么申请？");
    const answered = await ask(services, member, "合同怎么签？");
    const answer = await sim.send(expert, experts, "去村委会。", { replyTo: cardOf(answered.question.id) });
    expect((await services.questions.answers.relay(reply(answer, cardOf(answered.question.id)))).kind).toBe("queued");
    await drained(services);
    const reminders = () => sim.botMessages(experts).filter((m) => (m.text ?? "").includes("⏰"));
    const before = reminders().length;
    clock.at += 25 * 3_600_000;
    await tickUntilIdle(services);
    await tickUntilIdle(await boot());
    clock.at += 25 * 3_600_000;
    await tickUntilIdle(services);
    const fired = reminders().slice(before);
    // Every question of the earlier tests was unanswered too; this one is reminded exactly once, the answered one never.
    expect(fired.filter((m) => (m.text ?? "").includes(`问题 #${question.id} `))).toHaveLength(1);
    expect(fired.filter((m) => (m.text ?? "").includes(`问题 #${answered.question.id} `))).toHaveLength(0);
  });

  it("a reminder whose post failed (Telegram away) is posted when its timer comes back, once", async () => {
    const services = await boot();
    const member = sim.user({ first_name: "钱七" });
    sim.join(group, member);
    const { question } = await ask(services, member, "农机补贴什么时候发？");
    const remindersOf = () => sim.botMessages(experts).filter((m) => (m.text ?? "").includes("⏰") && (m.text ?? "").includes(`问题 #${question.id} `));
    const fault = { method: "sendMessage", kind: "500" as const, times: 1 };
    sim.faults.push(fault);
    clock.at += 25 * 3_600_000;
    await tickUntilIdle(services);
    expect(fault.times).toBe(0);
    expect(remindersOf()).toHaveLength(0);
    clock.at += 2 * 60_000; // past the timer's lease
    await tickUntilIdle(await boot());
    expect(remindersOf()).toHaveLength(1);
    clock.at += 3_600_000;
    await tickUntilIdle(services);
    expect(remindersOf()).toHaveLength(1);
  });

  it("the week summary counts asks, answers, time to first answer and ratings", async () => {
    const services = await boot();
    clock.at = Date.parse("2025-06-03T02:00:00Z");
    const member = sim.user({ first_name: "钱七" });
    sim.join(group, member);
    const a = await ask(services, member, "问题甲");
    const b = await ask(services, member, "问题乙");
    await ask(services, member, "问题丙");
    const answerA = await sim.send(expert, experts, "答甲", { replyTo: cardOf(a.question.id) });
    clock.at += 60_000;
    await services.questions.answers.relay(reply(answerA, cardOf(a.question.id)));
    await drained(services);
    const answerB = await sim.send(expert, experts, "答乙", { replyTo: cardOf(b.question.id) });
    clock.at += 120_000;
    await services.questions.answers.relay(reply(answerB, cardOf(b.question.id)));
    await drained(services);
    expect((await services.questions.answers.rate(a.question.id, 1, member.id + 1, true)).kind).toBe("not-asker");
    expect((await services.questions.answers.rate(a.question.id, 1, member.id, true)).kind).toBe("rated");
    expect((await services.questions.answers.rate(b.question.id, 1, member.id, true)).kind).toBe("rated");
    expect((await services.questions.answers.rate(b.question.id, 1, member.id, false)).kind).toBe("rated");
    const week = weekIdAt(clock.at, "Asia/Shanghai");
    expect(await services.questions.weekSummary(group.id, week)).toEqual({
      asked: 3,
      answered: 2,
      medianFirstAnswerMs: (60_000 + 180_000) / 2,
      helpful: 1,
      notHelpful: 1,
    });
    const counters = await services.activity.week(group.id, week);
    expect(counters.get(member.id)?.questions_asked).toBe(3);
  });

  it("a second press on a track button makes one question", async () => {
    const services = await boot();
    const member = sim.user({ first_name: "孙八" });
    sim.join(group, member);
    const message = await sim.send(member, group, "/ask 题目");
    const draft = await services.questions.questions.ask({ chatId: group.id, messageId: message.message_id, userId: member.id, userName: "孙八", text: "题目", locale: "zh" });
    if (draft.kind !== "pick-track") throw new Error(draft.kind);
    const presses = await Promise.all([0, 1].map(() => services.questions.questions.pickTrack(draft.draftId, member.id, "policy", "zh")));
    expect(presses.map((p) => p.kind).sort()).toEqual(["asked", "stale"]);
    // The same update again (redelivered) creates nothing.
    const again = await services.questions.questions.ask({ chatId: group.id, messageId: message.message_id, userId: member.id, userName: "孙八", text: "题目", locale: "zh" });
    expect(again.kind).toBe("duplicate");
  });
});
