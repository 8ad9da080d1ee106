import type { Redis } from "../shared/redis.js";
import { defineScript } from "../shared/redis-scripts.js";
import { groupKey } from "../shared/keys.js";

/** Replaces the value only if it is still what the caller read (two admins pressing at once). */
const SWAP = defineScript("settings.swap", 1, `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
return 1
`);

/** The schedule-editing flows in progress, one per schedule message; they expire on their own. */
export function createSettingsRepository(redis: Redis) {
  const flowKey = (chatId: number, messageId: number) => groupKey(chatId, "settings", "flow", messageId);
  return {
    async startFlow(chatId: number, messageId: number, value: string, ttlMs: number): Promise<void> {
      await redis.set(flowKey(chatId, messageId), value, "PX", ttlMs);
    },

    async flow(chatId: number, messageId: number): Promise<string | null> {
      return redis.get(flowKey(chatId, messageId));
    },

    /** Moves the flow from `seen` to `next` (empty string ends it); false when someone else moved it first. */
    async swapFlow(chatId: number, messageId: number, seen: string, next: string, ttlMs: number): Promise<boolean> {
      return Number(await SWAP.run(redis, 1, flowKey(chatId, messageId), seen, next, String(ttlMs))) === 1;
    },
  };
}

export type SettingsRepository = ReturnType<typeof createSettingsRepository>;
