import { createActivityRepository } from "../../src/activity/index.js";
import { createLessonsRepository } from "../../src/lessons/index.js";
import { createSigninsRepository } from "../../src/signins/index.js";
import type { RedisClient } from "../../src/shared/redis.js";

/** EVAL and EVALSHA calls a server has served, from `INFO commandstats` (absent lines count 0). */
export function scriptCalls(commandstats: string): { eval: number; evalsha: number } {
  const calls = (cmd: string) => Number(new RegExp(`^cmdstat_${cmd}:calls=(\\d+)`, "m").exec(commandstats)?.[1] ?? 0);
  return { eval: calls("eval"), evalsha: calls("evalsha") };
}

/**
 * The hot paths of one group as a member's presses drive them: a sign-in session opened once, then
 * per member a sign-in press (twice) and a Studied mark (twice, the second not counted). Returns what
 * the presses got back, so a caller checks the scripts still did their work, and how many script runs
 * it made.
 */
export async function pressAway(redis: RedisClient, groupId: number, members: number[], now = Date.now()) {
  const signins = createSigninsRepository(redis);
  const activity = createActivityRepository(redis);
  const studiedKey = createLessonsRepository(redis).studiedKey(groupId, "technology-01");
  const id = 1;
  await signins.open(groupId, { id, title: "t", openedAt: now - 1000, closesAt: now + 3_600_000, lateAfterMs: 600_000 }, 0);
  const outcomes: string[] = [];
  for (const userId of members) {
    for (let press = 0; press < 2; press++) {
      outcomes.push((await signins.signIn(groupId, id, userId, now, { weekId: "2026-W49", dayId: "2026-12-02", ref: `signin:${id}` })).kind);
      const counted = await activity.record({
        groupId,
        userId,
        at: now,
        weekId: "2026-W49",
        dayId: "2026-12-02",
        ref: "lesson:technology-01",
        increments: { lessons_studied: 1 },
        once: { key: studiedKey, member: String(userId) },
      });
      outcomes.push(counted ? "counted" : "not counted");
    }
  }
  const studied = await activity.allTime(groupId);
  return { outcomes, studied, runs: 1 + members.length * 4 };
}

/** What `pressAway` returns when every script did its work, for `members`. */
export const expectedOutcomes = (members: number[]): string[] =>
  members.flatMap(() => ["new", "counted", "already", "not counted"]);
