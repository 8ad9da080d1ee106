import { expect } from "vitest";
import { recordActivity } from "../../src/activity/index.js";
import type { Services } from "../../src/bot/services.js";
import { createGroupMoveRepository } from "../../src/groups/index.js";
import { createLessonsRepository } from "../../src/lessons/index.js";
import { createQuestionsRepository, type Question } from "../../src/questions/index.js";
import { createQuizzesRepository, type PollMeta } from "../../src/quizzes/index.js";
import { createScheduleRepository } from "../../src/schedule/index.js";
import { groupKey, userKey } from "../../src/shared/keys.js";
import { scanKeys, type RedisClient } from "../../src/shared/redis.js";
import { createSigninsRepository } from "../../src/signins/index.js";
import { createSurveysRepository } from "../../src/surveys/index.js";

const T0 = Date.parse("2026-11-16T02:00:00Z");
const WEEK = 7 * 86_400_000;

/** A group with two weeks of every kind of record: settings, roster, ledger, lessons, sign-ins, polls, questions, timers. */
export async function arrangeActiveGroup(services: Services, redis: RedisClient, from: number, members: [number, number]) {
  const [alice, bob] = members;
  await services.groups.register({ id: from, type: "group", title: "红星村" });
  await services.groups.update(from, { timeZone: "Europe/Berlin", locale: "en", tracksOff: ["technology"] });
  await services.groups.touchMember(from, { id: alice, is_bot: false, first_name: "李明" });
  await services.groups.touchMember(from, { id: bob, is_bot: false, first_name: "王芳" });
  await services.groups.setSecretary(from, alice, true);
  for (const [i, at] of [T0, T0 + WEEK].entries()) {
    await recordActivity(services.activity, { groupId: from, timeZone: "Europe/Berlin", userId: alice, at, ref: `l${i}`, increments: { lessons_studied: 1 } });
  }
  await recordActivity(services.activity, { groupId: from, timeZone: "Europe/Berlin", userId: bob, at: T0, ref: "q1", increments: { quiz_correct: 1 } });
  const lessons = createLessonsRepository(redis);
  await lessons.claimNext(from, "constitution", 5);
  await lessons.recordPush(from, "constitution", { lessonId: "c01", at: T0, weekId: "2026-W47", messageId: 7 });
  const signins = createSigninsRepository(redis);
  const sid = await signins.nextId(from);
  await signins.open(from, { id: sid, title: "周一学习", openedAt: T0, closesAt: T0 + 3_600_000, lateAfterMs: 600_000 }, T0);
  await signins.signIn(from, sid, bob, T0 + 1000, { weekId: "2026-W47", dayId: "2026-11-16", ref: `signin:${sid}` });
  const ref = { lessonId: "c01", index: 0 } as unknown as PollMeta["ref"]; // opaque to the move
  await createQuizzesRepository(redis).savePoll({
    pollId: "poll-q", chatId: from, kind: "lesson", runId: "1", index: 0, ref, correct: 0, sentAt: T0, openMs: 0, messageId: 12, scoreKey: "c01:0", weekId: "2026-W47",
  });
  await createSurveysRepository(redis).mapPoll("poll-s", { groupId: from, runId: 1, question: 0 });
  const question: Question = {
    id: 9001, chatId: from, messageId: 11, groupId: from, groupTitle: "红星村", userId: bob, userName: "王芳", track: "policy",
    text: "补贴怎么申请？", locale: "zh", timeZone: "Asia/Shanghai", askedAt: T0, reminderHours: 24,
  };
  await createQuestionsRepository(redis).save(question);
  await createScheduleRepository(redis).setTimer({ id: "signin-close:x", kind: "signin-close", at: T0 + 3_600_000, payload: { groupId: from, id: sid } });
  return { sid, weeks: ["2026-W47", "2026-W48"] };
}

/** Every key of the group's tag with its type and contents, as Redis would give them back. */
export async function snapshot(redis: RedisClient, groupId: number): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  const prefix = groupKey(groupId);
  for (const key of (await scanKeys(redis, `${prefix}:*`)).sort()) {
    const type = await redis.type(key);
    const value =
      type === "string" ? await redis.get(key)
      : type === "hash" ? await redis.hgetall(key)
      : type === "set" ? (await redis.smembers(key)).sort()
      : type === "zset" ? await redis.zrange(key, "0", "-1", "WITHSCORES")
      : type === "list" ? await redis.lrange(key, 0, -1)
      : type === "stream" ? (await redis.xrange(key, "-", "+")).map(([, fields]) => fields)
      : type;
    out.set(key.slice(prefix.length), { type, value });
  }
  return out;
}

/** What must hold after `from` moved to `to`: every record there, nothing left under the old id. */
export async function expectMoved(services: Services, redis: RedisClient, before: Map<string, unknown>, from: number, to: number, members: [number, number], sid: number) {
  const after = await snapshot(redis, to);
  for (const [suffix, value] of before) {
    if (suffix === ":group") continue; // the record names the new id, checked below
    expect(after.get(suffix), `key ${suffix} under the new id`).toEqual(value);
  }
  expect(await scanKeys(redis, `${groupKey(from)}:*`)).toEqual([]);
  const group = await services.groups.get(to);
  expect(group).toMatchObject({ id: to, type: "supergroup", timeZone: "Europe/Berlin", locale: "en", tracksOff: ["technology"], active: true });
  expect(await services.groups.activeIds()).toContain(to);
  expect(await services.groups.activeIds()).not.toContain(from);
  expect((await services.groups.get(from))?.id, "a job made before the move finds the supergroup").toBe(to);
  expect((await services.groups.roster(to)).map((m) => m.name).sort()).toEqual(["李明", "王芳"]);
  expect(await services.groups.secretaries(to)).toEqual([members[0]]);
  for (const user of members) {
    expect(await services.groups.groupsOf(user)).toEqual([to]);
    expect(await redis.sismember(userKey(user, "groups"), String(from))).toBe(0);
  }
  expect((await services.activity.allTime(to)).get(members[0])?.lessons_studied).toBe(2);
  expect((await createQuizzesRepository(redis).poll("poll-q"))?.chatId).toBe(to);
  expect((await createSurveysRepository(redis).pollRef("poll-s"))?.groupId).toBe(to);
  const questions = createQuestionsRepository(redis);
  expect(await questions.get(9001)).toMatchObject({ chatId: to, groupId: to });
  expect(await questions.askedBetween(to, 0, Date.now())).toEqual([9001]);
  expect(await questions.askedBetween(from, 0, Date.now())).toEqual([]);
  const timers = await createScheduleRepository(redis).takeDue(Number.MAX_SAFE_INTEGER);
  expect(timers.find((t) => t.id === "signin-close:x")?.payload).toEqual({ groupId: to, id: sid });
  await createScheduleRepository(redis).setTimer({ id: "signin-close:x", kind: "signin-close", at: 1, payload: { groupId: to, id: sid } });
  expect(await createGroupMoveRepository(redis).movedTo(from)).toBe(to);
}
