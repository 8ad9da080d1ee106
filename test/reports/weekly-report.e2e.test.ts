import { Api } from "grammy";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { createActivityRepository, recordActivity } from "../../src/activity/index.js";
import { createGroupsRepository, type GroupInfo } from "../../src/groups/index.js";
import { createLessonsRepository } from "../../src/lessons/index.js";
import { createOutbox, createPacingRepository, type Outbox } from "../../src/outbox/index.js";
import { createReportsRepository, createReportsService, REPORT_JOB, weeklyReportJob, weeklyReportSlots } from "../../src/reports/index.js";
import { createScheduleRepository, createScheduler } from "../../src/schedule/index.js";
import { DEFAULT_SCHEDULE } from "../../src/content/index.js";
import { createI18n, translatorOf } from "../../src/shared/i18n.js";
import { connectRedis, type Redis } from "../../src/shared/redis.js";
import { unpaced } from "../../src/shared/pacer.js";
import { createSimulator, type SimChat, type Simulator, type SimUser } from "../../tools/simulator/index.js";
import { groupsServiceFor } from "../support/groups-service.js";
import { memoryDelivery, SimulatedCrash } from "../support/memory-delivery.js";
import { startRedis, type TestRedis } from "../support/redis-server.js";
import { waitFor } from "../support/wait-for.js";

const logger = pino({ level: "silent" });
const t = translatorOf(createI18n("zh", () => undefined));
// Monday 2026-11-30 08:00 in Shanghai: the slot of the report on week 2026-W48.
const MONDAY_8 = Date.parse("2026-11-30T00:00:00Z");
const IN_W48 = Date.parse("2026-11-25T04:00:00Z"); // Wednesday noon, Shanghai

let server: TestRedis;
let sim: Simulator;
const conns: Redis[] = [];
const outboxes: Outbox[] = [];
let admin: SimUser;
let coAdmin: SimUser;
let member: SimUser;
let chat: SimChat;
let group: GroupInfo;

/** One bot instance's worth of services over the shared Redis and simulator. */
async function instance(name: string) {
  const redis = await connectRedis(server.url, logger);
  conns.push(redis);
  const api = new Api(sim.token, { apiRoot: sim.apiRoot });
  const clock = { now: () => MONDAY_8 };
  const activity = createActivityRepository(redis);
  const groups = groupsServiceFor(redis, { api, clock });
  const lessonsRepo = createLessonsRepository(redis);
  const reports = createReportsService({
    repo: createReportsRepository(redis), activity, groups,
    lessons: { pushes: (g) => lessonsRepo.allPushes(g), studiedCount: (g, l) => activity.countSeen(lessonsRepo.studiedKey(g, l)) },
    lessonTitle: (id) => (id === "technology-01" ? "选种" : id),
    sources: {}, api, t, pacer: unpaced, clock, logger, instanceId: name, defaultTimeZone: "Asia/Shanghai",
  });
  // The slot enqueues; each instance runs an outbox worker as the bot does.
  const outbox = createOutbox({ redis, pacing: createPacingRepository(redis), logger, perSecond: 28, perGroupPerMinute: 20, concurrency: 2 });
  outbox.register(REPORT_JOB, weeklyReportJob(reports, groups));
  outbox.start();
  outboxes.push(outbox);
  const scheduler = createScheduler({
    repo: createScheduleRepository(redis), activeGroups: () => groups.activeGroups(), sources: [weeklyReportSlots(outbox)],
    timerHandlers: {}, clock, logger, graceMs: 3600_000, instanceId: name,
  });
  return { redis, groups, activity, lessonsRepo, reports, scheduler, outbox };
}

beforeAll(async () => {
  server = await startRedis();
  sim = await createSimulator({ limits: false });
  admin = sim.user({ first_name: "王书记" });
  coAdmin = sim.user({ first_name: "陈主任" });
  member = sim.user({ first_name: "李明" });
  chat = sim.group({ title: "红星村学习群", admins: [admin, coAdmin], members: [member] });
  sim.addBot(chat, { by: admin, asAdmin: true });
  await sim.startPrivate(admin);

  const setup = await instance("setup");
  const registered = Date.parse("2026-11-01T00:00:00Z");
  const repo = createGroupsRepository(setup.redis);
  group = {
    id: chat.id, title: "红星村学习群", type: "supergroup", isForum: false, active: true, locale: "zh", timeZone: "Asia/Shanghai",
    registeredAt: registered, tracksOff: [], schedule: structuredClone(DEFAULT_SCHEDULE), scheduleUpdatedAt: registered,
  };
  await repo.save(group);
  for (const u of [admin, coAdmin, member]) await repo.touchMember(group.id, u.id, u.first_name, registered);
  await repo.saveUser({ id: admin.id, name: "王书记", privateOk: true });
  await setup.lessonsRepo.recordPush(group.id, "technology", { lessonId: "technology-01", at: IN_W48, weekId: "2026-W48", messageId: 1 });
  await recordActivity(setup.activity, {
    groupId: group.id, timeZone: "Asia/Shanghai", userId: member.id, at: IN_W48 + 60_000, ref: "lesson:technology-01",
    increments: { lessons_studied: 1 }, once: { key: setup.lessonsRepo.studiedKey(group.id, "technology-01"), member: String(member.id) },
  });
}, 60_000);

/** Waits until the outbox has sent everything queued. */
async function drained(outbox: Outbox): Promise<void> {
  await waitFor(async () => (await outbox.depth()) === 0, { message: "the outbox drained" });
  expect(await outbox.depth()).toBe(0);
}

afterAll(async () => {
  for (const o of outboxes) await o.stop();
  for (const c of conns) c.disconnect();
  await sim?.close();
  await server?.destroy();
});

describe("the Monday report", () => {
  it("reaches each organiser who started the bot once, with two schedulers ticking at the same moment", async () => {
    const [a, b] = await Promise.all([instance("a"), instance("b")]);
    const results = await Promise.all([a.scheduler.tick(MONDAY_8), b.scheduler.tick(MONDAY_8), a.scheduler.tick(MONDAY_8 + 5000)]);
    expect(results.reduce((n, r) => n + r.slots, 0)).toBe(1);
    await drained(a.outbox);

    const dm = sim.botMessages(sim.privateChat(admin)).filter((m) => !m.text?.includes("三学助手"));
    const texts = dm.filter((m) => m.text);
    const photos = dm.filter((m) => m.photo);
    const docs = dm.filter((m) => m.document);
    expect(texts).toHaveLength(1);
    expect(photos).toHaveLength(1);
    expect(docs).toHaveLength(1);
    expect(texts[0]?.text).toContain("2026-W48");
    expect(texts[0]?.text).toMatch(/33%\s+1\s+选种/);
    expect(photos[0]!.photo!.bytes.subarray(1, 4).toString()).toBe("PNG");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(docs[0]!.document!.bytes as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["汇总", "2026-W48"]);
    // The co-administrator never started the bot: nothing is sent to them.
    expect(sim.botMessages(sim.privateChat(coAdmin))).toHaveLength(0);
  });

  it("a retry of the same week (a lost slot claim, another instance) does not send it again", async () => {
    const c = await instance("c");
    const sent = await c.reports.sendWeeklyReport(group, MONDAY_8);
    expect(sent.sent).toEqual([]);
    expect(sent.skipped).toEqual([coAdmin.id]);
    const dm = sim.botMessages(sim.privateChat(admin)).filter((m) => m.photo);
    expect(dm).toHaveLength(1);
  });

  it("an organiser the bot could not reach is tried again on the next run, and only they get it", async () => {
    const c = await instance("d");
    // The profile says "started", but Telegram refuses (they never opened the chat in this simulator).
    await createGroupsRepository(c.redis).saveUser({ id: coAdmin.id, name: "陈主任", privateOk: true });
    const first = await c.reports.sendWeeklyReport(group, MONDAY_8);
    expect(first.sent).toEqual([]);
    expect(sim.botMessages(sim.privateChat(coAdmin))).toHaveLength(0);
    await sim.startPrivate(coAdmin);
    const second = await c.reports.sendWeeklyReport(group, MONDAY_8);
    expect(second.sent).toEqual([coAdmin.id]);
    expect(sim.botMessages(sim.privateChat(coAdmin)).filter((m) => m.photo)).toHaveLength(1);
    expect(sim.botMessages(sim.privateChat(admin)).filter((m) => m.photo)).toHaveLength(1);
  });

  it("a report job retried after a crash between the parts sends each part once", async () => {
    const e = await instance("e");
    const nextMonday = MONDAY_8 + 7 * 86_400_000; // the report on 2026-W49
    const job = weeklyReportJob(e.reports, e.groups);
    const log = pino({ level: "silent" });
    const done: Record<string, number> = {};
    const before = sim.botMessages(sim.privateChat(admin)).length;
    // Killed right after the text and the chart went out to the first organiser.
    const payload = { groupId: group.id, slotAt: nextMonday };
    await expect(job(payload, memoryDelivery("weekly-report-w49", done, 2), log)).rejects.toThrow(SimulatedCrash);
    await job(payload, memoryDelivery("weekly-report-w49", done), log);
    await job(payload, memoryDelivery("weekly-report-w49", done), log);
    const dm = sim.botMessages(sim.privateChat(admin)).slice(before);
    expect(dm.filter((m) => m.text)).toHaveLength(1);
    expect(dm[0]?.text).toContain("2026-W49");
    expect(dm.filter((m) => m.photo)).toHaveLength(1);
    expect(dm.filter((m) => m.document)).toHaveLength(1);
    // Another job for the same week (another instance's) finds the organiser claimed.
    await job(payload, memoryDelivery("another-job", {}), log);
    expect(sim.botMessages(sim.privateChat(admin)).slice(before)).toHaveLength(3);
  });
});
