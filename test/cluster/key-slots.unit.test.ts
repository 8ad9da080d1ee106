import { describe, expect, it } from "vitest";
import type { RedisClient } from "../../src/shared/redis.js";
import { createActivityRepository } from "../../src/activity/index.js";
import { createGroupsRepository } from "../../src/groups/index.js";
import type { GroupInfo } from "../../src/groups/groups.types.js";
import { createLessonsRepository } from "../../src/lessons/index.js";
import { createSigninsRepository, type SessionRecord } from "../../src/signins/index.js";
import { createPracticeRepository, createQuizzesRepository, type PollMeta } from "../../src/quizzes/index.js";
import { createSettingsRepository } from "../../src/settings/index.js";
import { createSurveysRepository } from "../../src/surveys/index.js";
import { createReportsRepository } from "../../src/reports/index.js";
import { createScheduleRepository } from "../../src/schedule/index.js";
import { createQuestionsRepository, type Question } from "../../src/questions/index.js";
import { questionsCountedKey } from "../../src/questions/questions.repository.js";
import { createFloodsRepository } from "../../src/floods/index.js";
import { createReviewRepository } from "../../src/review/index.js";
import { gradeCard } from "../../src/review/memory-grade.js";
import { hashTagOf, keySlot } from "../support/key-slot.js";

/** One request as Redis Cluster sees it: a command, a MULTI/pipeline or a script, and the keys it names. */
interface Op {
  what: string;
  keys: string[];
}

/**
 * A stand-in client that records the keys of every request (the first argument of each command,
 * every key of MGET/DEL and of a script) and answers with plausible empty replies.
 */
function recordingClient(): { client: RedisClient; ops: Op[] } {
  const ops: Op[] = [];
  const replies: Record<string, unknown> = {
    hgetall: {},
    smembers: [],
    hvals: [],
    lrange: [],
    zrangebyscore: [],
    zrevrange: [],
    zrange: ["1", "2"],
    mget: [],
    hmget: [],
    get: null,
    hget: null,
    getdel: null,
    set: "OK",
    eval: [1, "{}"],
    // Scripts run by SHA first (src/shared/redis-scripts.ts); the stand-in answers as if cached.
    evalsha: [1, "{}"],
  };
  const chain = (what: string) => {
    const op: Op = { what, keys: [] };
    const proxy: object = new Proxy(
      {},
      {
        get: (_t, prop) => {
          if (prop === "then") return undefined;
          if (prop === "exec")
            return async () => {
              ops.push(op);
              return [];
            };
          return (...args: unknown[]) => {
            op.keys.push(String(args[0]));
            return proxy;
          };
        },
      },
    );
    return proxy;
  };
  const client = new Proxy(
    {},
    {
      get: (_t, prop) => {
        if (prop === "then" || typeof prop !== "string") return undefined;
        if (prop === "multi" || prop === "pipeline") return () => chain(prop);
        return async (...args: unknown[]) => {
          if (prop === "eval" || prop === "evalsha") ops.push({ what: "eval", keys: args.slice(2, 2 + Number(args[1])).map(String) });
          else if (prop === "mget" || prop === "del") ops.push({ what: prop, keys: args.flat().map(String) });
          else ops.push({ what: prop, keys: [String(args[0])] });
          return prop in replies ? replies[prop] : 1;
        };
      },
    },
  );
  // The stand-in implements only what repositories call; a cast is the point of it.
  return { client: client as unknown as RedisClient, ops };
}

/** Calls every multi-key operation of every repository, for two groups and two users. */
async function exerciseRepositories(redis: RedisClient): Promise<void> {
  const activity = createActivityRepository(redis);
  const groups = createGroupsRepository(redis);
  const lessons = createLessonsRepository(redis);
  const signins = createSigninsRepository(redis);
  const quizzes = createQuizzesRepository(redis);
  const practice = createPracticeRepository(redis);
  const settings = createSettingsRepository(redis);
  const surveys = createSurveysRepository(redis);
  const reports = createReportsRepository(redis);
  const schedule = createScheduleRepository(redis);
  const questions = createQuestionsRepository(redis);
  const floods = createFloodsRepository(redis);
  const review = createReviewRepository(redis);
  const calls: (() => Promise<unknown>)[] = [];

  for (const [g, u] of [
    [-1001234567890, 42],
    [-4711, 1_234_567_890],
  ] as const) {
    const group = { id: g, active: true } as GroupInfo;
    const session: SessionRecord = { id: 3, title: "t", openedAt: 1, closesAt: 2, lateAfterMs: 0 };
    const poll: PollMeta = {
      pollId: "p1", chatId: g, kind: "lesson", runId: "r1", index: 0, ref: "q" as PollMeta["ref"], correct: 0,
      sentAt: 1, openMs: 1, messageId: 1, scoreKey: "s", weekId: "2026-W01",
    };
    const question = { id: 7, chatId: g, messageId: 1, groupId: g, userId: u, userName: "n", track: "policy", askedAt: 1 } as Question;
    const event = (once: string) => ({
      groupId: g, userId: u, at: 1, weekId: "2026-W01", dayId: "2026-01-01", ref: "x", increments: { lessons_studied: 1 }, once: { key: once, member: String(u) },
    });
    calls.push(
      // The once-sets other features hand to the activity script must sit in the group's slot.
      () => activity.record(event(lessons.studiedKey(g, "l1"))),
      () => activity.record(event(signins.countedKey(g, 3))),
      () => activity.record(event(signins.excuseCountedKey(g, 3))),
      () => activity.record(event(quizzes.scoredKey(g, "s"))),
      () => activity.record(event(questionsCountedKey(g))),
      () => activity.record(event(review.countedKey(g, "2026-01-01"))),
      () => activity.record({ ...event(""), once: undefined }),
      () => groups.save(group),
      () => groups.save({ ...group, active: false }),
      () => groups.touchMember(g, u, "n", 1),
      () => groups.removeMember(g, u, 1),
      () => groups.cacheMemberCheck(g, u, true, 1000),
      () => groups.memberCheck(g, u),
      () => groups.roster(g),
      () => lessons.claimNext(g, "policy", 3),
      () => lessons.release(g, "policy", 0),
      () => lessons.recordPush(g, "policy", { lessonId: "l1", at: 1, weekId: "2026-W01", messageId: 1 }),
      () => signins.open(g, session, 0),
      () => signins.signIn(g, 3, u, 1, { weekId: "2026-W01", dayId: "2026-01-01", ref: "signin:3" }),
      () => signins.close(g, 3, 2),
      () => signins.saveFinal(g, 3, { present: 1, late: 0, excused: 0, absent: 1, eligible: 2 }, [u]),
      () => signins.marksOf(g, [1, 2, 3], u),
      () => quizzes.recordAnswer(poll, u, { correct: true, points: 1, ms: 1, at: 1 }),
      () => quizzes.recordAnswer({ ...poll, kind: "practice", chatId: u, runId: undefined }, u, { correct: true, points: 1, ms: 1, at: 1 }),
      () => quizzes.createRun(g, { runId: "r1", kind: "lesson", title: "t", refs: [], createdAt: 1, source: "l1" }),
      () => quizzes.closePoll(g, "r1", "p1"),
      () => quizzes.releaseContest(g, "r1"),
      () => practice.start(u, "", []),
      () => practice.setQueue(u, [], "p1"),
      () => practice.advance(u, "p1", true),
      () => settings.swapFlow(g, 1, "a", "b", 1000),
      () => surveys.createRun(g, { name: "n", title: "t", startedAt: 1, weekId: "2026-W01", questions: [] }),
      () => surveys.vote({ groupId: g, runId: 1, question: 0 }, u, 1, [0]),
      () => surveys.runs(g),
      () => reports.claimDelivery(g, "2026-W01", u, "me"),
      () => questions.save(question),
      () => questions.save({ ...question, groupId: undefined }),
      () => questions.many([1, 2, 3]),
      () => questions.recordAnswer(question, { n: 1, expertId: u, expertName: "e", at: 1, excerpt: "x" }),
      () => questions.recordAnswer({ ...question, groupId: undefined }, { n: 1, expertId: u, expertName: "e", at: 1, excerpt: "x" }),
      () => questions.rate(7, 1, "helpful"),
      () => questions.addAlbumPart(`${g}:1`, "part"),
      () => questions.allowAsk(u, 1, 3, 1000),
      () => questions.makePublic(7, 1, 1, { id: 7, n: 1, groupId: g, question: "q", answer: "a", at: 1 }),
      () => review.saveCard(u, "L|l1|0", "", gradeCard(undefined, true, 1, "p1").card),
      () => review.dropCard(u, "L|l1|0"),
      () => review.openPolls(u, { "L|l1|0": "p1" }, true),
      () => review.closePoll(u, "L|l1|0", "p1"),
      () => review.markDay(u, "2026-01-02", "2026-01-01"),
      () => review.setReminder(u, undefined, { timeZone: "Asia/Shanghai", zoneGroup: g }, "zh"),
      () => review.setZone(u, "Europe/London", g),
      () => review.countLapse(g, "2026-W01", "L|l1|0"),
      () => floods.take("command", g, u, { windowMs: 1000, member: 1, group: 1 }),
      () => floods.take("press", u, u, { windowMs: 1000, member: 1, group: 0 }),
      // A group's upgrade moves its question lists in one transaction: both ids' lists are `{q}` keys.
      () => questions.moveGroup(g, g - 1_000_000_000_000),
      () => schedule.setTimer({ id: `t${g}`, kind: "k", at: 1, payload: {} }),
      () => schedule.cancelTimer(`t${g}`),
      () => schedule.takeDue(2),
      () => schedule.ack(`t${g}`, 1),
      () => schedule.extendLeases([{ id: `t${g}`, leaseUntil: 1 }], 2),
      () => schedule.release([{ id: `t${g}`, kind: "k", at: 1, payload: {}, attempt: 1, leaseUntil: 2 }]),
      () => schedule.setTimers([{ id: `t${g}`, kind: "k", at: 1, payload: { groupId: g } }, { id: `u${g}`, kind: "k", at: 1, payload: {} }]),
      () => schedule.moveGroup(g, g - 1_000_000_000_000),
      () => schedule.claimSlot(g, "lesson:policy:0", 1, "me", 2),
      () => schedule.releaseSlot(g, "lesson:policy:0", 1, "me"),
    );
  }
  for (const call of calls) {
    try {
      await call();
    } catch {
      // A stand-in reply a caller could not read: the request was already recorded.
    }
  }
}

describe("Redis Cluster slots", () => {
  it("computes slots as Redis does (known values, hash tags)", () => {
    expect(keySlot("foo")).toBe(12182);
    expect(keySlot("123456789")).toBe(12739);
    expect(keySlot("{user1000}.following")).toBe(keySlot("{user1000}.followers"));
    expect(hashTagOf("foo{}{bar}")).toBe("foo{}{bar}");
    expect(hashTagOf("sx:{g-42}:wk:2026-W01")).toBe("g-42");
  });

  it("no script, transaction, pipeline or multi-key command of any repository spans two slots", async () => {
    const { client, ops } = recordingClient();
    await exerciseRepositories(client);
    const multiKey = ops.filter((op) => op.what === "multi" || op.what === "pipeline" || op.keys.length > 1);
    const spanning = multiKey.filter((op) => new Set(op.keys.map(keySlot)).size > 1);
    expect(spanning).toEqual([]);
    // Not vacuous: the scripts, transactions and pipelines above were all reached.
    expect(multiKey.filter((op) => op.what === "eval").length).toBeGreaterThanOrEqual(28);
    expect(multiKey.filter((op) => op.what === "multi").length).toBeGreaterThanOrEqual(20);
    expect(multiKey.filter((op) => op.what === "pipeline").length).toBeGreaterThanOrEqual(4);
    expect(multiKey.some((op) => op.what === "mget")).toBe(true);
  });

  it("a group's keys carry its own tag, so different groups spread over the cluster", async () => {
    const { client, ops } = recordingClient();
    await exerciseRepositories(client);
    const tags = new Set(ops.flatMap((op) => op.keys).map(hashTagOf));
    expect(tags).toContain("g-1001234567890");
    expect(tags).toContain("g-4711");
    expect(keySlot("sx:{g-1001234567890}:x")).not.toBe(keySlot("sx:{g-4711}:x"));
  });
});
