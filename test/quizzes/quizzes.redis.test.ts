import { Redis as Client } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { User } from "grammy/types";
import { createActivityRepository } from "../../src/activity/index.js";
import { loadCurriculum, type Curriculum } from "../../src/content/index.js";
import type { GroupInfo } from "../../src/groups/index.js";
import {
  createPracticeRepository,
  createPracticeService,
  createQuizzesRepository,
  createQuizzesService,
  QUIZ_CLOSE_TIMER,
  QUIZ_LESSON_JOB,
  QUIZ_LESSON_TIMER,
} from "../../src/quizzes/index.js";
import type { TimerEntry } from "../../src/schedule/index.js";
import { createLogger } from "../../src/shared/logger.js";
import { unpaced } from "../../src/shared/pacer.js";
import { connectRedis, type Redis } from "../../src/shared/redis.js";
import { weekIdAt } from "../../src/shared/week.js";
import { fakeApi } from "../support/fake-api.js";
import { groupsServiceFor } from "../support/groups-service.js";
import { memoryDelivery, SimulatedCrash } from "../support/memory-delivery.js";
import { startRedis, type TestRedis } from "../support/redis-server.js";
import { FIXTURE_CONTENT } from "../support/scene.js";

const logger = createLogger({ level: "silent" });
let server: TestRedis;
let redis: Redis;
let curriculum: Curriculum;

const user = (id: number, first_name = `m${id}`): User => ({ id, is_bot: false, first_name });

beforeAll(async () => {
  server = await startRedis();
  redis = await connectRedis(server.url, logger);
  curriculum = await loadCurriculum(FIXTURE_CONTENT);
});

afterAll(async () => {
  await redis?.quit();
  await server?.destroy();
});

let now = Date.UTC(2026, 2, 2, 12, 0, 0);
let timers: TimerEntry[];
let jobs: { kind: string; id: string; payload: Record<string, unknown> }[];
let fake: ReturnType<typeof fakeApi>;
let group: GroupInfo;

function build() {
  const clock = { now: () => now };
  const activity = createActivityRepository(redis);
  const groups = groupsServiceFor(redis, { api: fake.api, clock, config: { defaultSchedule: curriculum.schedule } });
  const schedule = {
    setTimer: async (t: TimerEntry) => void timers.push(t),
    cancelTimer: async (id: string) => void (timers = timers.filter((t) => t.id !== id)),
  };
  const pushes = [{ lessonId: "technology-01", at: now - 1000, weekId: "", messageId: 1 }];
  const quizzesRepo = createQuizzesRepository(redis);
  const t = (_l: string, key: string, vars?: Record<string, string | number>) =>
    `${key}${vars ? JSON.stringify(vars) : ""}`;
  const common = { curriculum, api: fake.api, t, pacer: unpaced, clock, logger };
  const quizzes = createQuizzesService({
    ...common,
    repo: quizzesRepo,
    schedule,
    activity,
    groups,
    lessons: { pushes: async () => pushes },
    outbox: { enqueue: async (kind, id, payload) => void jobs.push({ kind, id, payload }) },
  });
  const practice = createPracticeService({
    ...common,
    repo: createPracticeRepository(redis),
    polls: quizzesRepo,
  });
  return { quizzes, practice, activity, groups, quizzesRepo };
}

let svc: ReturnType<typeof build>;
let nextGroupId = -1000;

beforeEach(async () => {
  timers = [];
  jobs = [];
  fake = fakeApi();
  svc = build();
  group = (await svc.groups.register({ id: nextGroupId--, type: "supergroup", title: "测试群" })).group;
});

const week = () => weekIdAt(now, group.timeZone);

describe("scoring poll answers on a real Redis", () => {
  it("an answer delivered twice is scored once", async () => {
    await svc.quizzes.quizNow(group);
    const [first] = fake.polls;
    now += 5_000;
    await svc.quizzes.answer(first!.pollId, user(1), [0]);
    await svc.quizzes.answer(first!.pollId, user(1), [0]);
    await Promise.all([
      svc.quizzes.answer(first!.pollId, user(1), [0]),
      svc.quizzes.answer(first!.pollId, user(1), [2]),
    ]);
    const counters = (await svc.activity.week(group.id, week())).get(1);
    expect(counters).toEqual({ quiz_answers: 1, quiz_correct: 1, quiz_points: 15 });
    expect((await svc.quizzes.questionStats(group.id, week()))[0]).toMatchObject({
      ref: "L|technology-01|0",
      answered: 1,
      correct: 1,
    });
  });

  it("a new answer and its ledger entry are one script run: no separate ledger write or expiry", async () => {
    await svc.quizzes.quizNow(group);
    const [first] = fake.polls;
    await svc.groups.touchMember(group.id, user(77)); // on the roster already: no membership check
    const monitor = await new Client(server.url, { protocol: 2 }).monitor();
    const sent: string[][] = [];
    monitor.on("monitor", (_time: string, args: string[], source: string) => void (source !== "lua" && sent.push(args.map(String))));
    try {
      await new Promise((r) => setTimeout(r, 100));
      sent.length = 0;
      await svc.quizzes.answer(first!.pollId, user(77), [0]);
      await new Promise((r) => setTimeout(r, 200));
      const scripts = sent.filter((args) => args[0]?.toLowerCase() === "evalsha" && args.some((a) => a.includes(`{g${group.id}}`)));
      expect(scripts).toHaveLength(1);
      expect(scripts[0]).toContain(`sx:{g${group.id}}:all`);
      expect(sent.filter((args) => args[0]?.toLowerCase() === "expire")).toEqual([]);
    } finally {
      monitor.disconnect();
    }
    expect((await svc.activity.week(group.id, week())).get(77)).toMatchObject({ quiz_answers: 1, quiz_correct: 1 });
    expect(await redis.ttl(`sx:{g${group.id}}:quiz:scored:L|technology-01|0`)).toBeGreaterThan(300 * 24 * 3600);
  });

  it("concurrent answers of different members all count", async () => {
    await svc.quizzes.quizNow(group);
    const second = fake.polls[1]!;
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        svc.quizzes.answer(second.pollId, user(100 + i), [i % 2 === 0 ? 1 : 0]),
      ),
    );
    const board = await svc.activity.week(group.id, week());
    expect(board.size).toBe(40);
    const totals = [...board.values()].reduce(
      (s, c) => ({ a: s.a + (c.quiz_answers ?? 0), c: s.c + (c.quiz_correct ?? 0) }),
      { a: 0, c: 0 },
    );
    expect(totals).toEqual({ a: 40, c: 20 });
    const stats = await svc.quizzes.questionStats(group.id, week());
    expect(stats.find((s) => s.ref === "L|technology-01|1")).toMatchObject({
      answered: 40,
      correct: 20,
      question: "发芽试验用多少粒种子？",
    });
    expect((await svc.groups.roster(group.id)).length).toBe(40); // answering puts members on the roster
  });

  it("an answer to a poll the bot does not know is ignored and changes nothing", async () => {
    const before = await redis.dbsize();
    expect(await svc.quizzes.answer("no-such-poll", user(7), [0])).toBeUndefined();
    await svc.quizzes.pollClosed("no-such-poll");
    expect(await redis.dbsize()).toBe(before);
  });

  it("a lesson quiz sent again does not score a member twice for the same question", async () => {
    await svc.quizzes.quizNow(group);
    await svc.quizzes.quizNow(group);
    const [a, , b] = fake.polls;
    expect(a!.question).toBe(b!.question);
    await svc.quizzes.answer(a!.pollId, user(5), [0]);
    await svc.quizzes.answer(b!.pollId, user(5), [0]);
    expect((await svc.activity.week(group.id, week())).get(5)).toMatchObject({
      quiz_answers: 1,
      quiz_correct: 1,
    });
  });
});

describe("closing quizzes", () => {
  it("sends one results message after the last question closes, whether Telegram or the timer says so first", async () => {
    const result = await svc.quizzes.quizNow(group, "technology");
    expect(result.kind).toBe("sent");
    expect(fake.polls.map((p) => p.other.correct_option_ids)).toEqual([[0], [1]]);
    expect(
      fake.polls.every(
        (p) => p.other.type === "quiz" && p.other.is_anonymous === false && p.other.open_period === 600,
      ),
    ).toBe(true);
    const [p1, p2] = fake.polls;
    await svc.quizzes.answer(p1!.pollId, user(1, "<b>A</b>"), [0]);
    await svc.quizzes.answer(p2!.pollId, user(1, "<b>A</b>"), [2]);
    await svc.quizzes.pollClosed(p1!.pollId);
    expect(fake.texts).toHaveLength(0); // the second question is still open
    const closeTimer = timers.find((t) => t.kind === QUIZ_CLOSE_TIMER && t.payload.pollId === p2!.pollId)!;
    await Promise.all([
      svc.quizzes.pollClosed(p2!.pollId),
      svc.quizzes.closeTimer(closeTimer),
      svc.quizzes.pollClosed(p2!.pollId),
    ]);
    await svc.quizzes.pollClosed(p1!.pollId);
    expect(fake.texts).toHaveLength(1);
    expect(fake.texts[0]!.text).toContain('"participants":1,"share":50');
    expect(fake.texts[0]!.text).toContain("&lt;b&gt;A&lt;/b&gt;");
  });

  it("a contest sends one poll at a time, refuses a second contest, and ends with a podium", async () => {
    expect((await svc.quizzes.startContest(group, "nope")).kind).toBe("unknown-bank");
    expect(await svc.quizzes.startContest(group, "village-basics", 0)).toEqual({ kind: "bad-count" });
    expect(await svc.quizzes.startContest(group, "village-basics", 9)).toEqual({
      kind: "started",
      bank: "village-basics",
      count: 4,
    });
    expect((await svc.quizzes.startContest(group, "village-basics")).kind).toBe("busy");
    for (let i = 0; i < 4; i++) {
      expect(fake.polls).toHaveLength(i + 1);
      const poll = fake.polls[i]!;
      expect(poll.other.open_period).toBe(30);
      const right = (poll.other.correct_option_ids as number[])[0]!;
      await svc.quizzes.answer(poll.pollId, user(1), [right]);
      await svc.quizzes.answer(poll.pollId, user(2), [i === 0 ? right : (right + 1) % 3]);
      await svc.quizzes.pollClosed(poll.pollId);
      await svc.quizzes.pollClosed(poll.pollId); // a second close changes nothing
    }
    expect(fake.polls).toHaveLength(4);
    const podium = fake.texts.at(-1)!.text;
    expect(podium).toContain("quizzes-podium-title");
    expect(podium.indexOf("m1")).toBeLessThan(podium.indexOf("m2"));
    expect(podium).toContain('"points":60,"correct":4');
    expect((await svc.quizzes.startContest(group, "village-basics", 1)).kind).toBe("started"); // the slot was freed
  });
});

describe("the quiz after a lesson", () => {
  it("a pushed lesson sets a timer for quiz_after_minutes; the timer sends the quiz", async () => {
    const lesson = curriculum.byId.get("technology-01")!;
    await svc.quizzes.afterPush(group, lesson, {
      lessonId: lesson.id,
      at: now,
      weekId: week(),
      messageId: 1,
    });
    const timer = timers.find((t) => t.kind === QUIZ_LESSON_TIMER)!;
    expect(timer.at).toBe(now + 60 * 60_000);
    await svc.quizzes.lessonTimer(timer);
    expect(fake.polls).toHaveLength(0);
    expect(jobs).toEqual([{ kind: QUIZ_LESSON_JOB, id: `${group.id}-${lesson.id}-${now}`, payload: { groupId: group.id, lessonId: lesson.id, pushedAt: now } }]);
    await svc.quizzes.lessonQuizJob(jobs[0]!.payload, memoryDelivery("job-1"));
    expect(fake.polls.map((p) => p.question)).toEqual(lesson.quiz.map((q) => q.question));
  });

  it("a quiz job retried after a crash mid-way sends each poll once and keeps every poll's record", async () => {
    const lesson = curriculum.byId.get("technology-01")!;
    expect(lesson.quiz.length).toBeGreaterThan(1);
    await svc.quizzes.afterPush(group, lesson, { lessonId: lesson.id, at: now, weekId: week(), messageId: 1 });
    await svc.quizzes.lessonTimer(timers.find((t) => t.kind === QUIZ_LESSON_TIMER)!);
    const done: Record<string, number> = {};
    // Crashes right after the run is created and the first poll has gone out.
    await expect(svc.quizzes.lessonQuizJob(jobs[0]!.payload, memoryDelivery("job-2", done, 2))).rejects.toThrow(SimulatedCrash);
    expect(fake.polls).toHaveLength(1);
    await svc.quizzes.lessonQuizJob(jobs[0]!.payload, memoryDelivery("job-2", done));
    await svc.quizzes.lessonQuizJob(jobs[0]!.payload, memoryDelivery("job-2", done));
    expect(fake.polls.map((p) => p.question)).toEqual(lesson.quiz.map((q) => q.question));
    // Every poll that went out still maps to the group and to one run, so answers score and results come.
    const metas = await Promise.all(fake.polls.map((p) => svc.quizzesRepo.poll(p.pollId)));
    expect(metas.map((m) => m?.chatId)).toEqual(fake.polls.map(() => group.id));
    expect(new Set(metas.map((m) => m?.runId)).size).toBe(1);
    expect(metas.map((m) => m?.index)).toEqual(lesson.quiz.map((_, i) => i));
  });

  it("the timer does nothing when /quiz already sent that lesson's quiz since the push", async () => {
    const lesson = curriculum.byId.get("technology-01")!;
    await svc.quizzes.afterPush(group, lesson, {
      lessonId: lesson.id,
      at: now,
      weekId: week(),
      messageId: 1,
    });
    now += 1000;
    await svc.quizzes.quizNow(group);
    await svc.quizzes.lessonTimer(timers.find((t) => t.kind === QUIZ_LESSON_TIMER)!);
    await svc.quizzes.lessonQuizJob(jobs[0]!.payload, memoryDelivery("job-3"));
    expect(fake.polls).toHaveLength(2);
  });

  it("a lesson without a quiz sets no timer", async () => {
    await svc.quizzes.afterPush(group, curriculum.byId.get("technology-02")!, {
      lessonId: "technology-02",
      at: now,
      weekId: week(),
      messageId: 1,
    });
    expect(timers.filter((t) => t.kind === QUIZ_LESSON_TIMER)).toHaveLength(0);
  });
});

describe("practice", () => {
  it("asks every question once per round and moves on once per answer, recording nothing for the group", async () => {
    const uid = 9001;
    const ledger = async () => Promise.all((await redis.keys("*:wk:*")).sort().map((k) => redis.hgetall(k)));
    const before = await ledger();
    const start = await svc.practice.start(uid, "zh", "technology");
    expect(start.kind).toBe("started");
    const total = start.kind === "started" ? start.total : 0;
    const seen = new Set<string>();
    for (let i = 0; i < total; i++) {
      const poll = fake.polls.at(-1)!;
      seen.add(poll.question);
      const meta = (await svc.quizzesRepo.poll(poll.pollId))!;
      await Promise.all([
        svc.practice.answered(meta, uid, [0], "zh"),
        svc.practice.answered(meta, uid, [0], "zh"),
      ]);
    }
    expect(seen.size).toBe(total);
    expect(fake.polls).toHaveLength(total + 1); // a new round began
    expect(fake.texts.some((m) => m.text.includes("quizzes-practice-round"))).toBe(true);
    expect(await svc.practice.stop(uid)).toMatchObject({ asked: total });
    expect(await ledger()).toEqual(before);
  });
});
