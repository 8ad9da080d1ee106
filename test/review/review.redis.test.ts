import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createActivityRepository } from "../../src/activity/index.js";
import { parseConfig } from "../../src/config/config.js";
import { loadCurriculum, type Curriculum } from "../../src/content/index.js";
import { createReminders, createReviewRepository, createReviewService, REMIND_JOB, REMIND_TIMER } from "../../src/review/index.js";
import { gradeCard } from "../../src/review/memory-grade.js";
import type { TimerEntry } from "../../src/schedule/index.js";
import { createLogger } from "../../src/shared/logger.js";
import { unpaced } from "../../src/shared/pacer.js";
import { connectRedis, scanKeys, type Redis } from "../../src/shared/redis.js";
import { fakeApi } from "../support/fake-api.js";
import { groupsServiceFor } from "../support/groups-service.js";
import { keySlot } from "../support/key-slot.js";
import { memoryDelivery } from "../support/memory-delivery.js";
import { startRedisCluster, type TestRedisCluster } from "../support/redis-cluster.js";
import { startRedis, type TestRedis } from "../support/redis-server.js";
import { FIXTURE_CONTENT } from "../support/scene.js";

const logger = createLogger({ level: "silent" });
const DAY = 86_400_000;
const T0 = Date.parse("2026-12-01T13:00:00Z"); // 21:00 in Shanghai
const t = (_l: string, key: string, vars?: Record<string, string | number>) => `${key}${vars ? JSON.stringify(vars) : ""}`;

let server: TestRedis;
let cluster: TestRedisCluster;
let curriculum: Curriculum;
const clients: Record<string, Redis> = {};

beforeAll(async () => {
  [server, cluster, curriculum] = await Promise.all([startRedis(), startRedisCluster(), loadCurriculum(FIXTURE_CONTENT)]);
  clients.server = await connectRedis(server.url, logger);
  const target = parseConfig({ REDIS_URL: cluster.url }, { requireToken: false }).redisCluster;
  if (!target) throw new Error("redis+cluster:// did not parse as a cluster");
  clients.cluster = await connectRedis(target, logger);
}, 60_000);
afterAll(async () => {
  for (const c of Object.values(clients)) await c.quit();
  await server?.destroy();
  await cluster?.destroy();
});

function build(redis: Redis, now: { at: number }) {
  const clock = { now: () => now.at };
  const fake = fakeApi();
  const groups = groupsServiceFor(redis, { api: fake.api, clock, config: { defaultSchedule: curriculum.schedule } });
  const repo = createReviewRepository(redis);
  const common = { api: fake.api, t, pacer: unpaced, clock, logger };
  const review = createReviewService({ ...common, repo, groups, activity: createActivityRepository(redis), curriculum, defaultTimeZone: "Asia/Shanghai" });
  const timers: TimerEntry[] = [];
  const jobs: { kind: string; id: string; payload: Record<string, unknown> }[] = [];
  const reminders = createReminders({
    ...common,
    repo,
    review,
    groups,
    timers: {
      setTimers: async (entries) => void timers.splice(0, timers.length, ...timers.filter((x) => !entries.some((e) => e.id === x.id)), ...entries),
      cancelTimer: async (id) => void timers.splice(0, timers.length, ...timers.filter((x) => x.id !== id)),
    },
    outbox: { enqueueMany: async (kind, many) => void jobs.push(...many.map(({ id, payload }) => ({ kind, id, payload }))) },
    defaultTimeZone: "Asia/Shanghai",
    defaultLocale: "zh",
  });
  return { repo, review, reminders, groups, fake, timers, jobs };
}

let nextUser = 5000;

describe.each(["server", "cluster"] as const)("review cards on a Redis %s", (kind) => {
  const redis = () => clients[kind] as Redis;

  it("a card is stored by compare-and-set: a writer that read an older card loses and reads again", async () => {
    const { repo } = build(redis(), { at: T0 });
    const u = nextUser++;
    const first = gradeCard(undefined, false, T0, "p1").card;
    expect(await repo.saveCard(u, "L|technology-01|0", "", first)).toBe(true);
    expect(await repo.saveCard(u, "L|technology-01|0", "", gradeCard(undefined, true, T0, "p2").card)).toBe(false);
    const { raw, card } = await repo.card(u, "L|technology-01|0");
    expect(card).toMatchObject({ due: first.due, lastPoll: "p1" });
    expect(await repo.saveCard(u, "L|technology-01|0", raw, gradeCard(card, true, T0 + DAY, "p3").card)).toBe(true);
    expect((await repo.card(u, "L|technology-01|0")).card?.reps).toBe(2);
  });

  it("the due set lists what is due before a moment, most overdue first", async () => {
    const { repo } = build(redis(), { at: T0 });
    const u = nextUser++;
    const at = [3, 1, 2, 5].map((d) => T0 + d * DAY);
    for (const [i, due] of at.entries()) await repo.saveCard(u, `B|bank|${i}`, "", { ...gradeCard(undefined, true, T0, `p${i}`).card, due });
    expect(await repo.dueRefs(u, T0 + 4 * DAY, 10)).toEqual(["B|bank|1", "B|bank|2", "B|bank|0"]);
    expect(await repo.dueRefs(u, T0 + 4 * DAY, 2)).toEqual(["B|bank|1", "B|bank|2"]);
    expect(await repo.dueRefs(u, T0 + 2 * DAY, 10)).toEqual(["B|bank|1"]); // due exactly then is not before it
    expect(await repo.dueCount(u, T0 + 10 * DAY)).toBe(4);
    expect(await repo.nextDue(u)).toBe(T0 + DAY);
  });

  it("every key of a member's cards and review state is in the member's own slot", async () => {
    const { review, repo } = build(redis(), { at: T0 });
    const u = nextUser++;
    await review.quizAnswered({ userId: u, ref: "L|technology-01|0", correct: false, at: T0, pollId: "q1", kind: "practice" });
    await repo.openPolls(u, { "L|technology-01|0": "rp1" }, true);
    expect(await repo.closePoll(u, "L|technology-01|0", "rp1")).toBe(0);
    expect(await repo.markDay(u, "2026-12-01", "2026-11-30")).toBe(1);
    expect(await repo.markDay(u, "2026-12-02", "2026-12-01")).toBe(2);
    expect(await repo.markDay(u, "2026-12-02", "2026-12-01")).toBe(2);
    const keys = kind === "server" ? await scanKeys(redis(), `sx:{u${u}}:*`) : [`sx:{u${u}}:review:cards`, `sx:{u${u}}:review:due`, `sx:{u${u}}:review:me`];
    expect(keys.length).toBeGreaterThanOrEqual(3);
    expect(new Set(keys.map(keySlot)).size).toBe(1);
    expect(keySlot(keys[0] ?? "")).toBe(keySlot(`sx:{u${u}}:profile`));
  });

  it("an answer redelivered for the same poll grades the card once", async () => {
    const { review, repo } = build(redis(), { at: T0 });
    const u = nextUser++;
    const answer = { userId: u, ref: "L|technology-01|1", correct: true, at: T0, pollId: "same", kind: "lesson" as const };
    await Promise.all([review.quizAnswered(answer), review.quizAnswered(answer), review.quizAnswered(answer)]);
    expect((await repo.card(u, answer.ref)).card?.reps).toBe(1);
    await review.quizAnswered({ ...answer, pollId: "other", at: T0 + 3 * DAY });
    expect((await repo.card(u, answer.ref)).card?.reps).toBe(2);
  });

  it("the daily reminder's timer enqueues one job per member and day, only when something is due and the member started the bot", async () => {
    const now = { at: T0 - 3600_000 }; // 20:00 local
    const { review, reminders, groups, timers, jobs, fake } = build(redis(), now);
    const started = nextUser++;
    const stranger = nextUser++;
    await groups.rememberUser({ id: started, is_bot: false, first_name: "李" }, true);
    for (const u of [started, stranger]) {
      await review.quizAnswered({ userId: u, ref: "L|technology-01|0", correct: false, at: now.at, pollId: `w${u}`, kind: "practice" });
      await reminders.on(u, { hour: 20, minute: 30 }, "zh");
    }
    const timerOf = (u: number) => timers.find((x) => x.id === `${REMIND_TIMER}:${u}`);
    expect(timerOf(started)?.at).toBe(Date.parse("2026-12-01T12:30:00Z"));

    // Today at 20:30 nothing is due yet (the wrong answer comes back tomorrow): no job, tomorrow's timer.
    now.at = Date.parse("2026-12-01T12:30:05Z");
    await reminders.timer(timerOf(started)!);
    expect(jobs).toEqual([]);
    expect(timerOf(started)?.at).toBe(Date.parse("2026-12-02T12:30:00Z"));

    // Tomorrow it is due: one job for the member who started the bot, none for the one who did not; a re-run adds the same id.
    now.at = Date.parse("2026-12-02T12:30:02Z");
    const tomorrow = timerOf(started)!;
    await reminders.timer(tomorrow);
    await reminders.timer(tomorrow);
    await reminders.timer({ ...timerOf(stranger)!, payload: { userId: stranger, at: tomorrow.at } });
    expect(jobs.map((j) => j.id)).toEqual([`${started}-2026-12-02`, `${started}-2026-12-02`]);
    expect(jobs[0]?.kind).toBe(REMIND_JOB);

    await reminders.job(jobs[0]!.payload, memoryDelivery("job"));
    expect(fake.sent.filter((m) => m.chatId === started).map((m) => m.text)).toEqual(['review-reminder{"due":1}']);
    await reminders.job({ userId: stranger }, memoryDelivery("job"));
    expect(fake.sent.some((m) => m.chatId === stranger)).toBe(false);

    await reminders.off(started, "zh");
    expect(timerOf(started)).toBeUndefined();
  });
});

describe.each(["server", "cluster"] as const)("a reminder follows its group's time zone on a Redis %s", (kind) => {
  const redis = () => clients[kind] as Redis;
  const SHANGHAI_2030 = Date.parse("2026-12-01T12:30:00Z");
  const LONDON_2030 = Date.parse("2026-12-01T20:30:00Z");

  /** A member of a group in Shanghai who started the bot, with a question due and the reminder on at 20:30. */
  async function memberWithReminder(now: { at: number }) {
    const built = build(redis(), now);
    const { groups, review, reminders } = built;
    const u = nextUser++;
    const gid = -(600_000 + u);
    const user = { id: u, is_bot: false, first_name: "赵" } as const;
    await groups.register({ id: gid, type: "supergroup", title: "村" });
    await groups.touchMember(gid, user);
    await groups.rememberUser(user, true);
    await review.quizAnswered({ userId: u, ref: "L|technology-01|0", correct: false, at: now.at - 2 * DAY, pollId: `z${u}`, kind: "practice" });
    expect((await reminders.on(u, { hour: 20, minute: 30 }, "zh")).timeZone).toBe("Asia/Shanghai");
    const timerOf = () => built.timers.find((x) => x.id === `${REMIND_TIMER}:${u}`);
    expect(timerOf()?.at).toBe(SHANGHAI_2030);
    return { ...built, u, gid, timerOf };
  }

  it("the group's zone changed: its members' reminders move at once to the chosen time in the new zone", async () => {
    const now = { at: T0 - 3600_000 }; // 20:00 in Shanghai
    const { u, gid, groups, reminders, timerOf, repo } = await memberWithReminder(now);
    await groups.update(gid, { timeZone: "Europe/London" });
    await reminders.groupZoneChanged(gid, "Europe/London"); // what groups' timeZoneChanged hook calls
    expect(timerOf()?.at).toBe(LONDON_2030);
    expect(await repo.profile(u)).toMatchObject({ timeZone: "Europe/London", zoneGroup: gid, remind: "20:30" });
    // Another group's change is not theirs to follow.
    await reminders.groupZoneChanged(gid - 1, "Asia/Tokyo");
    expect(timerOf()?.at).toBe(LONDON_2030);
  });

  it("a zone changed without the hook is seen when the timer runs: nothing at the old hour, the reminder at the chosen hour in the new zone", async () => {
    const now = { at: T0 - 3600_000 };
    const { u, gid, groups, reminders, timerOf, jobs, repo } = await memberWithReminder(now);
    await groups.update(gid, { timeZone: "Europe/London" }); // this build wires no hook: as if it had been missed
    now.at = SHANGHAI_2030 + 2000;
    await reminders.timer(timerOf()!);
    expect(jobs).toEqual([]);
    expect(timerOf()?.at).toBe(LONDON_2030);
    expect((await repo.profile(u)).timeZone).toBe("Europe/London");
    now.at = LONDON_2030 + 2000;
    await reminders.timer(timerOf()!);
    expect(jobs.map((j) => j.id)).toEqual([`${u}-2026-12-01`]);
    expect(timerOf()?.at).toBe(LONDON_2030 + DAY);
  });

  it("a reminder set before reminders followed their group (no tzg) still comes today, and from then on follows the group", async () => {
    const now = { at: T0 - 3600_000 };
    const { u, gid, reminders, timerOf, jobs, repo } = await memberWithReminder(now);
    await redis().hdel(`sx:{u${u}}:review:me`, "tzg");
    expect((await repo.profile(u)).zoneGroup).toBeUndefined();
    now.at = SHANGHAI_2030 + 2000;
    await reminders.timer(timerOf()!);
    expect(jobs.map((j) => j.id)).toEqual([`${u}-2026-12-01`]);
    expect(timerOf()?.at).toBe(SHANGHAI_2030 + DAY);
    expect((await repo.profile(u)).zoneGroup).toBe(gid);
  });

  it("a batch of reminders: each member's reads in one pass, one job per member due, every timer set for the next day", async () => {
    const now = { at: T0 - 3600_000 };
    const a = await memberWithReminder(now);
    const b = await memberWithReminder(now);
    const off = await memberWithReminder(now);
    await off.reminders.off(off.u, "zh");
    now.at = SHANGHAI_2030 + 1000;
    const timers = [a.timerOf()!, b.timerOf()!, { ...a.timerOf()!, id: `${REMIND_TIMER}:${off.u}`, payload: { userId: off.u, at: SHANGHAI_2030 } }];
    await a.reminders.batch.batch(timers);
    expect(a.jobs.map((j) => j.id)).toEqual([`${a.u}-2026-12-01`, `${b.u}-2026-12-01`]);
    expect(a.timers.map((x) => [x.id, x.at])).toEqual([[`${REMIND_TIMER}:${a.u}`, SHANGHAI_2030 + DAY], [`${REMIND_TIMER}:${b.u}`, SHANGHAI_2030 + DAY]]);
  });
});

describe("a /review session", () => {
  it("sends the five most overdue first, More the rest, and the batch's last answer says all is done", async () => {
    const now = { at: T0 + 5 * DAY };
    const { review, repo, fake } = build(clients.server as Redis, now);
    const u = nextUser++;
    const refs = [
      ...curriculum.lessons.flatMap((l) => l.quiz.map((_, i) => `L|${l.id}|${i}`)),
      ...[...curriculum.quizBanks.values()].flatMap((b) => b.items.map((_, i) => `B|${b.name}|${i}`)),
    ].slice(0, 7);
    expect(refs).toHaveLength(7);
    // Due an hour apart, the last one most overdue.
    for (const [i, ref] of refs.entries()) await repo.saveCard(u, ref, "", { ...gradeCard(undefined, false, T0, `s${i}`).card, due: T0 + (7 - i) * 3600_000 });
    await repo.saveCard(u, "L|gone-from-content|0", "", { ...gradeCard(undefined, false, T0, "g").card, due: T0 });

    expect(await review.start(u, "zh")).toEqual({ kind: "sent", due: 7, sent: 5 });
    expect(fake.sent.map((m) => m.text)).toEqual(['review-intro{"due":7,"batch":5}']);
    const asked = async () => Promise.all(fake.polls.map(async (p) => (await repo.poll(p.pollId))?.ref));
    expect(await asked()).toEqual([...refs].reverse().slice(0, 5));
    expect(await repo.dueCount(u, Infinity)).toBe(7); // the question gone from the content was dropped on the way

    expect(await review.more(u)).toBe(2);
    expect(await review.more(u)).toBe(0);
    expect(new Set(await asked()).size).toBe(7);

    for (const [i, p] of fake.polls.entries()) {
      const poll = await repo.poll(p.pollId);
      await review.answered(p.pollId, u, [poll?.correct ?? 0], "zh");
      expect(fake.sent.length).toBe(i < 6 ? 1 : 2); // nothing until the last one
    }
    expect(fake.sent.at(-1)?.text).toBe("review-all-done");
    expect(await repo.dueCount(u, T0 + 6 * DAY)).toBe(0);
    // A stranger's answer to the member's poll, or a repeat, changes nothing.
    await review.answered(fake.polls[0]!.pollId, u + 1, [0], "zh");
    await review.answered(fake.polls[0]!.pollId, u, [0], "zh");
    expect(fake.sent).toHaveLength(2);
    expect((await repo.card(u, refs[6]!)).card?.reps).toBe(2);
    expect(await review.status(u)).toEqual({ due: 0, streak: 1 });
  });
});
