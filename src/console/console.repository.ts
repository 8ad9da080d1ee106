import type { Redis } from "../shared/redis.js";
import { globalKey, userKey } from "../shared/keys.js";

/** How long a finished week's indices are kept: past the eight weeks a trend covers, with room. */
const PAST_WEEK_TTL_S = 12 * 7 * 86_400;

/**
 * What the console keeps: which URL each person's menu button was last set to (so it is set once, not per message),
 * and finished weeks' participation index per group (one hash per week: a county view reads a week in one HMGET).
 */
export function createConsoleRepository(redis: Redis) {
  const key = (userId: number) => userKey(userId, "console", "menu");
  const weekKey = (weekId: string) => globalKey("console", "week-index", weekId);
  return {
    /** The stored indices of `groupIds` in a finished week (undefined where none is stored). */
    async pastIndices(weekId: string, groupIds: number[]): Promise<(number | undefined)[]> {
      if (groupIds.length === 0) return [];
      const raw = await redis.hmget(weekKey(weekId), ...groupIds.map(String));
      return raw.map((v) => (v === null ? undefined : Number(v)));
    },
    async savePastIndices(weekId: string, indices: Map<number, number>): Promise<void> {
      if (indices.size === 0) return;
      await redis.multi().hset(weekKey(weekId), Object.fromEntries([...indices].map(([id, v]) => [String(id), String(v)]))).expire(weekKey(weekId), PAST_WEEK_TTL_S).exec();
    },
    async menuSet(userId: number): Promise<string | undefined> {
      return (await redis.get(key(userId))) ?? undefined;
    },
    async rememberMenu(userId: number, url: string): Promise<void> {
      // A month: a menu button changed elsewhere (BotFather) is put back within that.
      await redis.set(key(userId), url, "EX", 30 * 86_400);
    },
  };
}

export type ConsoleRepository = ReturnType<typeof createConsoleRepository>;
