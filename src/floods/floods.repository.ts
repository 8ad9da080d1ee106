import type { Redis } from "../shared/redis.js";
import { defineScript } from "../shared/redis-scripts.js";
import { groupKey, userKey } from "../shared/keys.js";

/**
 * Sliding windows of commands and presses, a member's and their group's in one script (the keys
 * share the group's hash tag; in private, the user's). Only what is let through is counted, so a
 * member is back in as soon as their window has room. Redis's clock, as in the outbox's pacing.
 * Returns 0: let through; 1: over the member's limit, tell them (first time this window);
 * 3: over the group's limit, tell the chat (first time this window); 2: over, say nothing.
 */
const TAKE = defineScript("floods.take", undefined, `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local groupLimit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local notice, code = nil, 0
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  notice, code = KEYS[3], 1
elseif groupLimit > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
  if redis.call('ZCARD', KEYS[2]) >= groupLimit then notice, code = KEYS[4], 3 end
end
if notice then
  if redis.call('SET', notice, '1', 'PX', window, 'NX') then return code end
  return 2
end
local member = t[1] .. t[2] .. ARGV[4]
redis.call('ZADD', KEYS[1], now, member)
redis.call('PEXPIRE', KEYS[1], window)
if groupLimit > 0 then
  redis.call('ZADD', KEYS[2], now, member)
  redis.call('PEXPIRE', KEYS[2], window)
end
return 0
`);

export type FloodKind = "command" | "press";
export type FloodVerdict = "ok" | "member-notice" | "group-notice" | "quiet";

export interface FloodLimits {
  windowMs: number;
  /** Per member in the chat. */
  member: number;
  /** Per group chat, all members together; 0 for none (private chats). */
  group: number;
}

const VERDICTS: Record<number, FloodVerdict> = { 0: "ok", 1: "member-notice", 2: "quiet", 3: "group-notice" };

export function createFloodsRepository(redis: Redis) {
  return {
    /** Counts one command or press of `userId` in `chatId` (a group when negative), unless a limit is reached. */
    async take(kind: FloodKind, chatId: number, userId: number, limits: FloodLimits): Promise<FloodVerdict> {
      const inGroup = chatId < 0 && limits.group > 0;
      const key = (...parts: (string | number)[]) => (inGroup ? groupKey(chatId, "flood", kind, ...parts) : userKey(userId, "flood", kind, chatId, ...parts));
      const keys = [key("m", userId), key("g"), key("told", userId), key("told")];
      const nonce = Math.random().toString(36).slice(2);
      const args = [String(limits.windowMs), String(limits.member), String(inGroup ? limits.group : 0), nonce];
      return VERDICTS[Number(await TAKE.run(redis, keys.length, ...keys, ...args))] ?? "ok";
    },
  };
}

export type FloodsRepository = ReturnType<typeof createFloodsRepository>;
