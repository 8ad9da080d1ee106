import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { User } from "grammy/types";
import { connectRedis, type Redis } from "../../src/shared/redis.js";
import { createLogger } from "../../src/shared/logger.js";
import { unpaced } from "../../src/shared/pacer.js";
import { createGroupsRepository, type GroupInfo } from "../../src/groups/index.js";
import { createSurveysRepository, createSurveysService, type SurveysService } from "../../src/surveys/index.js";
import type { Curriculum, Survey } from "../../src/content/types.js";
import { DEFAULT_SCHEDULE } from "../../src/content/schedule.schema.js";
import { fakeApi } from "../support/fake-api.js";
import type { SurveyRunResult } from "../../src/surveys/index.js";
import { groupsServiceFor } from "../support/groups-service.js";
import { startRedis, type TestRedis } from "../support/redis-server.js";
import { createScheduleRepository } from "../../src/schedule/index.js";

let server: TestRedis;
let redis: Redis;
let surveys: SurveysService;
const logger = createLogger({ level: "silent", secrets: [] });
const now = Date.parse("2026-06-01T12:00:00Z");

const survey: Survey = {
  name: "needs",
  title: "学习需求调查",
  file: "surveys/needs.yaml",
  questions: [
    { question: "学什么？", options: ["党章", "政策", "技术"], allows_multiple_answers: true },
    { question: "什么时间？", options: ["早上", "晚上"], allows_multiple_answers: false },
  ],
};

const group: GroupInfo = {
  id: -100777,
  title: "红星村",
  type: "supergroup",
  isForum: false,
  active: true,
  locale: "zh",
  timeZone: "Asia/Shanghai",
  registeredAt: now,
  tracksOff: [],
  schedule: DEFAULT_SCHEDULE,
  scheduleUpdatedAt: now,
};

const member = (id: number): User => ({ id, is_bot: false, first_name: `成员${id}` });

/** Users Telegram says are not in the group (status "left"); everyone else is a member. */
const STRANGERS = new Set([900, 901]);
const closedRuns: SurveyRunResult[] = [];
const { api, polls, memberChecks, stopped, sent } = fakeApi({ memberStatus: (_chat, userId) => (STRANGERS.has(userId) ? "left" : "member") });
const pollIds = () => polls.map((p) => p.pollId);
const sentTexts = () => sent.map((m) => m.text);

beforeAll(async () => {
  server = await startRedis();
  redis = await connectRedis(server.url, logger);
  const curriculum = { surveys: new Map([["needs", survey]]) } as unknown as Curriculum; // surveys is all the service reads
  const groups = groupsServiceFor(redis, { api, clock: { now: () => now } });
  surveys = createSurveysService({
    repo: createSurveysRepository(redis),
    groups,
    curriculum,
    api,
    t: (_locale, key) => key,
    pacer: unpaced,
    clock: { now: () => now },
    logger,
    onClosed: () => [async (_group, result) => void closedRuns.push(result)],
    timers: createScheduleRepository(redis),
  });
});

afterAll(async () => {
  await redis?.quit();
  await server?.destroy();
});

describe("survey votes on a real Redis", () => {
  it("posts one poll per question and maps them", async () => {
    const started = await surveys.start(group, "NEEDS");
    expect(started.kind).toBe("posted");
    expect(pollIds()).toHaveLength(2);
    expect(await surveys.recordAnswer("not-a-survey-poll", member(1), [0], 1)).toBe("unknown");
  });

  it("concurrent answers from fifty members are all counted, each once", async () => {
    const [first] = pollIds();
    await Promise.all(Array.from({ length: 50 }, (_, i) => surveys.recordAnswer(first!, member(100 + i), i % 2 ? [0, 2] : [1], 1000 + i)));
    const [run] = await surveys.surveyResults(group.id);
    expect(run?.questions[0]?.voters).toBe(50);
    expect(run?.questions[0]?.options.map((o) => o.votes)).toEqual([25, 25, 25]);
  });

  it("a redelivered update changes nothing; an older update arriving late does not undo a newer one", async () => {
    const second = pollIds()[1]!;
    expect(await surveys.recordAnswer(second, member(1), [0], 2000)).toBe("recorded");
    await Promise.all([surveys.recordAnswer(second, member(1), [0], 2000), surveys.recordAnswer(second, member(1), [0], 2000)]);
    expect(await surveys.recordAnswer(second, member(1), [1], 2005)).toBe("recorded"); // changed
    expect(await surveys.recordAnswer(second, member(1), [0], 2000)).toBe("outdated"); // old one redelivered
    const q = (await surveys.surveyResults(group.id))[0]?.questions[1];
    expect(q?.voters).toBe(1);
    expect(q?.options.map((o) => o.votes)).toEqual([0, 1]);
  });

  it("a retracted vote is removed and stays removed when the earlier vote is redelivered", async () => {
    const second = pollIds()[1]!;
    await surveys.recordAnswer(second, member(2), [1], 3000);
    await surveys.recordAnswer(second, member(2), [], 3001);
    await surveys.recordAnswer(second, member(2), [1], 3000);
    const q = (await surveys.surveyResults(group.id))[0]?.questions[1];
    expect(q?.voters).toBe(1); // member 1 only
    expect(q?.options.map((o) => o.votes)).toEqual([0, 1]);
  });

  it("results can be asked for one week; a second run is separate and is the latest", async () => {
    expect(await surveys.surveyResults(group.id, "2026-W23")).toHaveLength(1);
    expect(await surveys.surveyResults(group.id, "2026-W22")).toHaveLength(0);
    await surveys.start(group, "needs");
    const latest = await surveys.latestResults(group.id, "needs");
    expect(latest?.questions[0]?.voters).toBe(0);
    expect(await surveys.surveyResults(group.id)).toHaveLength(2);
  });

  it("voters join the group's roster", async () => {
    const roster = await createGroupsRepository(redis).roster(group.id);
    expect(roster.map((m) => m.userId)).toContain(100);
  });

  it("a vote from someone Telegram says is not in the group is not counted, joins no roster, and is checked once a minute", async () => {
    const first = pollIds()[0]!;
    const votersBefore = (await surveys.surveyResults(group.id))[0]?.questions[0]?.voters;
    memberChecks.length = 0;
    expect(await surveys.recordAnswer(first, member(900), [0], 5000)).toBe("not-member");
    expect(await surveys.recordAnswer(first, member(900), [1], 5001)).toBe("not-member");
    expect(memberChecks).toEqual([900]); // the second answer used the cached verdict
    expect((await surveys.surveyResults(group.id))[0]?.questions[0]?.voters).toBe(votersBefore);
    const roster = await createGroupsRepository(redis).roster(group.id);
    expect(roster.map((m) => m.userId)).not.toContain(900);
  });

  it("a member already on the roster is not asked about again", async () => {
    memberChecks.length = 0;
    expect(await surveys.recordAnswer(pollIds()[0]!, member(100), [2], 6000)).toBe("recorded");
    expect(memberChecks).toEqual([]);
  });

  it("closing stops the latest open run's polls once, even when two organisers close at once, and tells the hook its results", async () => {
    const open = await surveys.latestResults(group.id, "needs");
    const results = await Promise.all([surveys.close(group, "needs"), surveys.close(group, "needs")]);
    expect(results.map((r) => r.kind).sort()).toEqual(["closed", "none"]);
    expect(closedRuns).toHaveLength(1);
    expect(closedRuns[0]?.runId).toBe(open?.runId);
    expect(closedRuns[0]?.closedAt).toBe(now);
    expect(stopped.map((s) => s.chatId)).toEqual([group.id, group.id]); // the run's two polls
    expect((await surveys.latestResults(group.id, "needs"))?.closedAt).toBe(now);
    // The earlier run is still open: the next close takes it; after that nothing is open.
    expect((await surveys.close(group)).kind).toBe("closed");
    expect((await surveys.close(group)).kind).toBe("none");
  });

  it("a survey posted with a deadline closes by itself then: polls stopped, the hook told once, the results in the group", async () => {
    await createGroupsRepository(redis).save(group);
    const timers = createScheduleRepository(redis);
    const started = await surveys.start(group, "needs", undefined, 3 * 86_400_000);
    expect(started).toMatchObject({ kind: "posted", closesAt: now + 3 * 86_400_000 });
    const run = await surveys.latestResults(group.id, "needs");
    expect(await timers.takeDue(now + 3 * 86_400_000 - 1)).toEqual([]);
    const [timer] = await timers.takeDue(now + 3 * 86_400_000);
    expect(timer?.payload).toEqual({ groupId: group.id, runId: run?.runId });
    const [hooks, stops, sent] = [closedRuns.length, stopped.length, sentTexts().length];
    await surveys.closeTimer(timer!);
    await surveys.closeTimer(timer!); // run again after a crash: closes nothing twice
    expect(closedRuns.slice(hooks).map((r) => r.runId)).toEqual([run?.runId]);
    expect(stopped.length - stops).toBe(2);
    expect(sentTexts().slice(sent)).toEqual([expect.stringContaining("surveys-closed-by-deadline")]);
    // Closed before its deadline by an organiser: the timer then closes nothing and says nothing.
    const again = await surveys.start(group, "needs", undefined, 3600_000);
    expect(again.kind).toBe("posted");
    expect((await surveys.close(group, "needs")).kind).toBe("closed");
    const [late] = await timers.takeDue(now + 3600_000);
    const after = [closedRuns.length, sentTexts().length];
    await surveys.closeTimer(late!);
    expect([closedRuns.length, sentTexts().length]).toEqual(after);
  });
});
