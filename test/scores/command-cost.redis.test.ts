import { Redis } from "ioredis";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordActivity } from "../../src/activity/index.js";
import { createApp, type App } from "../../src/bot/create-app.js";
import type { Services } from "../../src/bot/services.js";
import { parseConfig } from "../../src/config/config.js";
import { DEFAULT_SCHEDULE } from "../../src/content/index.js";
import { createGroupsRepository, type GroupInfo, type GroupsRepository } from "../../src/groups/index.js";
import { createQuestionsRepository, type Question, type QuestionsRepository } from "../../src/questions/index.js";
import { unpaced } from "../../src/shared/pacer.js";
import { countCommands } from "../support/command-counter.js";
import { startRedis, type TestRedis } from "../support/redis-server.js";
import { FIXTURE_CONTENT } from "../support/scene.js";

/**
 * `/me`, `/top` and `/faq` cost a few Redis commands whatever the county's size: counted on the
 * client (pipelined commands included) on a real redis-server.
 */
const TZ = "Asia/Shanghai";
const NOW = Date.parse("2025-03-05T04:00:00Z");
const ME = 7_000_001;
let server: TestRedis;
let redis: Redis;
let app: App;
let services: Services;
let groupsRepo: GroupsRepository;
let questionsRepo: QuestionsRepository;
let counter: ReturnType<typeof countCommands>;
let nextQuestion = 0;
const groupId = (i: number) => -1_000_000_000 - i;
const memberOf = (g: number, m: number) => 10_000_000 + g * 100 + m;

function info(i: number): GroupInfo {
  return {
    id: groupId(i), title: `第${i + 1}村学习群`, type: "supergroup", isForum: false, active: true, locale: "zh", timeZone: TZ,
    registeredAt: NOW - 86_400_000, tracksOff: [], schedule: structuredClone(DEFAULT_SCHEDULE), scheduleUpdatedAt: NOW - 86_400_000,
  };
}

/** Groups `from`..`to`-1, five members each with some activity, and one answer made public in each. */
async function addGroups(from: number, to: number): Promise<void> {
  for (let g = from; g < to; g++) {
    await groupsRepo.save(info(g));
    for (let m = 0; m < 5; m++) {
      await groupsRepo.touchMember(groupId(g), memberOf(g, m), `成员${g}-${m}`, NOW - 3_600_000);
      await recordActivity(services.activity, { groupId: groupId(g), timeZone: TZ, userId: memberOf(g, m), at: NOW - 60_000, ref: "t", increments: { lessons_studied: m + 1 } });
    }
    await publicAnswer(g, `大棚滴灌多久冲洗一次？（${g}）`);
  }
}

async function publicAnswer(g: number, text: string): Promise<void> {
  const id = ++nextQuestion;
  const q: Question = {
    id, chatId: groupId(g), messageId: id, groupId: groupId(g), userId: memberOf(g, 0), userName: "成员", track: "technology",
    text, locale: "zh", timeZone: TZ, askedAt: NOW - 7_200_000, reminderHours: 24,
  };
  await questionsRepo.save(q);
  await questionsRepo.recordAnswer(q, { n: 1, expertId: 1, expertName: "专家", at: NOW - 3_600_000, excerpt: "每两周冲洗一次" });
  await questionsRepo.makePublic(id, 1, NOW - 1000, { id, n: 1, groupId: groupId(g), question: text, answer: "每两周冲洗一次", at: NOW - 3_600_000 });
}

async function cost(fn: () => Promise<unknown>): Promise<number> {
  counter.reset();
  await fn();
  return counter.count();
}

beforeAll(async () => {
  server = await startRedis();
  redis = new Redis(server.url, { protocol: 2 });
  // Nothing here calls Telegram (these commands only read Redis): an API root that points nowhere, and no start().
  const config = parseConfig({ BOT_TOKEN: "123456:test-token-never-used-0000", TELEGRAM_API_ROOT: "http://127.0.0.1:9", REDIS_URL: server.url, CONTENT_DIR: FIXTURE_CONTENT });
  app = await createApp(config, { logger: pino({ level: "silent" }), redis, clock: { now: () => NOW }, pacer: unpaced, instanceId: "test" });
  ({ services } = app);
  groupsRepo = createGroupsRepository(redis);
  questionsRepo = createQuestionsRepository(redis);
  await addGroups(0, 30);
  // The member in two of the groups.
  for (const g of [3, 17]) {
    await groupsRepo.touchMember(groupId(g), ME, "我", NOW - 3_600_000);
    await recordActivity(services.activity, { groupId: groupId(g), timeZone: TZ, userId: ME, at: NOW - 60_000, ref: "t", increments: { lessons_studied: 3, signins: 1 } });
  }
  counter = countCommands(redis);
}, 120_000);

afterAll(async () => {
  await app?.stop();
  redis?.disconnect();
  await server?.destroy();
});

describe("bounded cost of /me, /top and /faq", () => {
  it("/me in private costs a few commands, the same with 30 groups as with 300", async () => {
    const first = await services.scores.myGroups(ME);
    expect(first.map((e) => e.group.id)).toEqual([groupId(17), groupId(3)].sort((a, b) => a - b));
    const with30 = await cost(() => services.scores.myGroups(ME));
    await addGroups(30, 300);
    const with300 = await cost(() => services.scores.myGroups(ME));
    expect(with300).toBe(with30);
    expect(with300).toBeLessThanOrEqual(20);
    const line = (await services.scores.myGroups(ME))[0]?.line;
    // 3 lessons and a sign-in (40) against members' 10..50: 50, and 40 with more lessons studied, are ahead.
    expect(line?.week?.rank).toBe(3);
    expect(line?.weekOf).toBe(6);
  }, 240_000);

  it("/me in a group ranks exactly as the board does, reading no roster", async () => {
    const group = info(3);
    const board = await services.scores.board(group, "week");
    for (const row of board) expect((await services.scores.me(group, row.userId)).week?.rank).toBe(row.rank);
    expect(await cost(() => services.scores.me(group, ME))).toBeLessThanOrEqual(5);
  });

  it("/top costs the same however many scorers have left the group, and still names them", async () => {
    const g = 40;
    const group = info(g);
    const before = await cost(() => services.scores.board(group, "week"));
    for (let m = 0; m < 5; m++) await groupsRepo.removeMember(groupId(g), memberOf(g, m), NOW);
    const after = await cost(() => services.scores.board(group, "all"));
    expect(after).toBe(before);
    expect(after).toBeLessThanOrEqual(3);
    expect((await services.scores.board(group, "week")).map((r) => r.name)).toContain(`成员${g}-4`);
  });

  it("/faq in a group costs a few commands however many answers other groups made public", async () => {
    const found = await services.questions.answers.faq("滴灌冲洗", groupId(5));
    expect(found.map((f) => f.question)).toEqual(["大棚滴灌多久冲洗一次？（5）"]);
    const before = await cost(() => services.questions.answers.faq("滴灌冲洗", groupId(5)));
    for (let g = 0; g < 300; g++) await publicAnswer(g, `果树冬季修剪注意什么？（${g}）`);
    const after = await cost(() => services.questions.answers.faq("滴灌冲洗", groupId(5)));
    expect(after).toBe(before);
    expect(after).toBeLessThanOrEqual(2);
  }, 120_000);
});
