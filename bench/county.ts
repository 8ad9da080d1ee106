import type { Redis } from "ioredis";
import { COUNTERS, type Counter } from "../src/activity/index.js";
import { DEFAULT_SCHEDULE } from "../src/content/index.js";
import type { GroupInfo } from "../src/groups/index.js";
import type { GroupsRepository } from "../src/groups/index.js";
import type { LessonsRepository } from "../src/lessons/index.js";
import { groupKey } from "../src/shared/keys.js";
import { weekBounds } from "../src/shared/week.js";

export const TZ = "Asia/Shanghai";

/** Deterministic pseudo-random numbers so every run writes the same county. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

/** One member's counters in one week: most members take part, some do nothing. */
export function memberWeek(rand: () => number): Partial<Record<Counter, number>> {
  if (rand() < 0.2) return {};
  const studied = Math.floor(rand() * 4);
  const signins = Math.floor(rand() * 3);
  const answers = Math.floor(rand() * 7);
  const correct = Math.floor(answers * rand());
  const row: Partial<Record<Counter, number>> = {};
  if (studied) row.lessons_studied = studied;
  if (signins) row.signins = signins;
  if (signins && rand() < 0.2) row.signins_late = 1;
  if (rand() < 0.1) row.excused = 1;
  if (answers) row.quiz_answers = answers;
  if (correct) {
    row.quiz_correct = correct;
    row.quiz_points = correct * 10;
  }
  if (rand() < 0.15) row.questions_asked = 1;
  return row;
}

export function groupIdOf(i: number): number {
  return -1_000_000_000 - i;
}

/** Groups, rosters and lesson pushes through the features' own repositories. */
export async function writeGroups(groups: GroupsRepository, lessons: LessonsRepository, opts: { groups: number; members: number; weekIds: string[]; lessonIds: string[] }): Promise<GroupInfo[]> {
  const first = weekBounds(opts.weekIds[0] ?? "", TZ).start - 86_400_000;
  const out: GroupInfo[] = [];
  for (let g = 0; g < opts.groups; g++) {
    const id = groupIdOf(g);
    const info: GroupInfo = {
      id, title: `第${g + 1}村学习群`, type: "supergroup", isForum: false, active: true, locale: "zh", timeZone: TZ,
      registeredAt: first, tracksOff: [], schedule: structuredClone(DEFAULT_SCHEDULE), scheduleUpdatedAt: first,
    };
    out.push(info);
    const jobs: Promise<unknown>[] = [groups.save(info)];
    for (let m = 0; m < opts.members; m++) jobs.push(groups.touchMember(id, userOf(g, m), `成员${g}-${m}`, first));
    for (const [w, weekId] of opts.weekIds.entries()) {
      const { start } = weekBounds(weekId, TZ);
      for (let k = 0; k < 3; k++) {
        const lessonId = opts.lessonIds[(w * 3 + k) % opts.lessonIds.length] ?? "x";
        jobs.push(lessons.recordPush(id, "technology", { lessonId: `${lessonId}-${w}`, at: start + (k * 2 + 1) * 86_400_000, weekId, messageId: w * 3 + k }));
      }
    }
    await Promise.all(jobs);
  }
  return out;
}

export function userOf(g: number, m: number): number {
  return 10_000_000 + g * 1000 + m;
}

/**
 * The ledger's per-member week hashes, written in bulk with pipelines (HSET of a whole week at a
 * time) in the layout `activity.repository.ts` keeps; the bench checks that layout first.
 */
export async function writeWeeks(redis: Redis, opts: { groups: number; members: number; weekIds: string[] }): Promise<number> {
  const rand = rng(7);
  let memberWeeks = 0;
  for (let g = 0; g < opts.groups; g++) {
    const id = groupIdOf(g);
    const pipe = redis.pipeline();
    const last = new Map<number, number>();
    for (const weekId of opts.weekIds) {
      const fields: string[] = [];
      const { start } = weekBounds(weekId, TZ);
      for (let m = 0; m < opts.members; m++) {
        const row = memberWeek(rand);
        const uid = userOf(g, m);
        memberWeeks++;
        for (const c of COUNTERS) if (row[c]) fields.push(`${uid}:${c}`, String(row[c]));
        if (Object.keys(row).length > 0) last.set(uid, start + Math.floor(rand() * 7 * 86_400_000));
      }
      if (fields.length > 0) pipe.hset(groupKey(id, "wk", weekId), ...fields);
    }
    const flat = [...last].flatMap(([uid, at]) => [at, String(uid)]);
    if (flat.length > 0) pipe.zadd(groupKey(id, "active"), ...flat);
    await pipe.exec();
  }
  return memberWeeks;
}

/** One group's raw event stream for the year (the baseline scans it), with ids in event time. */
export async function writeRawEvents(redis: Redis, g: number, members: number, weekIds: string[]): Promise<number> {
  const rand = rng(11);
  const id = groupIdOf(g);
  const events: { at: number; uid: number; counter: Counter }[] = [];
  for (const weekId of weekIds) {
    const { start } = weekBounds(weekId, TZ);
    for (let m = 0; m < members; m++) {
      const row = memberWeek(rand);
      for (const c of ["lessons_studied", "signins", "quiz_answers", "questions_asked"] as const) {
        for (let k = 0; k < (row[c] ?? 0); k++) events.push({ at: start + Math.floor(rand() * 7 * 86_400_000), uid: userOf(g, m), counter: c });
      }
    }
  }
  events.sort((a, b) => a.at - b.at);
  let pipe = redis.pipeline();
  let seq = 0;
  let prev = -1;
  for (const [i, e] of events.entries()) {
    seq = e.at === prev ? seq + 1 : 0;
    prev = e.at;
    pipe.xadd(groupKey(id, "events"), `${e.at}-${seq}`, "uid", String(e.uid), "at", String(e.at), "ref", "bench", e.counter, "1");
    if (i % 5000 === 4999) {
      await pipe.exec();
      pipe = redis.pipeline();
    }
  }
  await pipe.exec();
  return events.length;
}
