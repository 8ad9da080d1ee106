import type { Redis } from "../shared/redis.js";
import { defineScript } from "../shared/redis-scripts.js";
import { globalKey, groupKey } from "../shared/keys.js";

/**
 * Deployment-wide pacing in Redis (a reserved line of send times for the bot, a sliding window per group), so ten instances
 * together stay under Telegram's limits as one would. Redis's own clock is used, never the
 * instances' clocks, which may disagree.
 */

/** Reserves the next free moment on the bot-wide line; returns how long to wait for it (ms). */
const RESERVE = defineScript("pacing.reserve", 1, `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
redis.call('SET', KEYS[1], tat + interval, 'PX', 60000)
return tat - now
`);

/**
 * A sliding window like Telegram's per-group one: 0 when `count` sends are taken, else how long
 * until they fit (ms). A count above the limit is taken as the limit (an album of 10 must go).
 */
const TAKE = defineScript("pacing.take", 1, `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local count = math.min(tonumber(ARGV[4] or '1'), limit)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local used = redis.call('ZCARD', KEYS[1])
if used + count > limit then
  local oldest = redis.call('ZRANGE', KEYS[1], used + count - limit - 1, used + count - limit - 1, 'WITHSCORES')
  return tonumber(oldest[2]) + window - now + 1
end
for i = 1, count do
  redis.call('ZADD', KEYS[1], now, t[1] .. t[2] .. ARGV[3] .. ':' .. i)
end
redis.call('PEXPIRE', KEYS[1], window)
return 0
`);

export function createPacingRepository(redis: Redis) {
  const BOT = globalKey("outbox", "pace");
  return {
    /** Reserves a send on the bot-wide line of `perSecond`; resolves with the wait in ms. */
    async reserveBot(perSecond: number): Promise<number> {
      return Number(await RESERVE.run(redis, 1, BOT, String(1000 / perSecond)));
    },

    /** `count` sends (default one) into a group under `perMinute`, bursts allowed: 0 when taken, else the wait in ms. */
    async takeGroup(chatId: number, perMinute: number, count = 1): Promise<number> {
      const nonce = Math.random().toString(36).slice(2);
      return Number(await TAKE.run(redis, 1, groupKey(chatId, "outbox", "pace"), "60000", String(perMinute), nonce, String(count)));
    },
  };
}

export type PacingRepository = ReturnType<typeof createPacingRepository>;
