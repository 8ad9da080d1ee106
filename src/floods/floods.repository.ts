import type { Redis } from "../shared/redis.js";
import { defineScript } from "../shared/redis-scripts.js";
import { groupKey, userKey } from "../shared/keys.js";

/**
 * Sliding windows of commands and presses, a member's and their group's in one script (the keys
 * share the group's hash tag; in private, the user's). Only what is let through is counted, so a
 * member is back in as soon as their window has room. Redis's clock, as in the outbox's pacing.
 * Returns 0: let through; 1: over the member's limit, tell them (first time this window);
 * 3: over the group's limit, tell the chat (first time this window); 2: over, say nothing.
 * `take_flood(keys, window, memberLimit, groupLimit, nonce)` (keys: the member's window, the group's,
 * the member's notice, the group's notice) is also run inside a press's own script (press-toll.ts).
 */
export const FLOOD_LUA = `
local function take_flood(k, window, memberLimit, groupLimit, nonce)
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  redis.call('ZREMRANGEBYSCORE', k[1], '-inf', now - window)
  local notice, code = nil, 0
  if redis.call('ZCARD', k[1]) >= memberLimit then
    notice, code = k[3], 1
  elseif groupLimit > 0 then
    redis.call('ZREMRANGEBYSCORE', k[2], '-inf', now - window)
    if redis.call('ZCARD', k[2]) >= groupLimit then notice, code = k[4], 3 end
  end
  if notice then
    if redis.call('SET', notice, '1', 'PX', window, 'NX') then return code end
    return 2
  end
  local member = t[1] .. t[2] .. nonce
  redis.call('ZADD', k[1], now, member)
  redis.call('PEXPIRE', k[1], window)
  if groupLimit > 0 then
    redis.call('ZADD', k[2], now, member)
    redis.call('PEXPIRE', k[2], window)
  end
  return 0
end
`;
const TAKE = defineScript("floods.take", undefined, `${FLOOD_LUA}
return take_flood(KEYS, tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4])
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

/** The four keys of a member's window in `chatId` (a group when `inGroup`), as `take_flood` takes them. */
export function floodKeys(kind: FloodKind, chatId: number, userId: number, inGroup: boolean): string[] {
  const key = (...parts: (string | number)[]) => (inGroup ? groupKey(chatId, "flood", kind, ...parts) : userKey(userId, "flood", kind, chatId, ...parts));
  return [key("m", userId), key("g"), key("told", userId), key("told")];
}

/** `take_flood`'s arguments after its keys: the window, the limits and a nonce for this take. */
export function floodArgs(limits: FloodLimits, inGroup: boolean): string[] {
  return [String(limits.windowMs), String(limits.member), String(inGroup ? limits.group : 0), Math.random().toString(36).slice(2)];
}

export const floodVerdict = (code: unknown): FloodVerdict => VERDICTS[Number(code)] ?? "ok";

export function createFloodsRepository(redis: Redis) {
  return {
    /** Counts one command or press of `userId` in `chatId` (a group when negative), unless a limit is reached. */
    async take(kind: FloodKind, chatId: number, userId: number, limits: FloodLimits): Promise<FloodVerdict> {
      const inGroup = chatId < 0 && limits.group > 0;
      const keys = floodKeys(kind, chatId, userId, inGroup);
      return floodVerdict(await TAKE.run(redis, keys.length, ...keys, ...floodArgs(limits, inGroup)));
    },
  };
}

export type FloodsRepository = ReturnType<typeof createFloodsRepository>;
