import type { Redis } from "../shared/redis.js";
import { userKey } from "../shared/keys.js";

/** What the console keeps: which URL each person's menu button was last set to (so it is set once, not per message). */
export function createConsoleRepository(redis: Redis) {
  const key = (userId: number) => userKey(userId, "console", "menu");
  return {
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
