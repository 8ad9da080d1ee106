import type { Redis } from "../shared/redis.js";
import { defineScript } from "../shared/redis-scripts.js";
import { globalKey, groupKey } from "../shared/keys.js";

/**
 * Deployment-wide pacing in Redis (a reserved line of send times for the bot, a sliding window per group), so ten instances
 * together stay under Telegram's limits as one would. Redis's own clock is used, never the
 * instances' clocks, which may disagree.
 */

/** Lua: `now` in microseconds, from ARGV[arg] when a test gives it, else Redis's clock. */
const nowMicros = (arg: number): string => `local now = tonumber(ARGV[${arg}])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
end`;

/**
 * The bot-wide line. Telegram counts a message when it receives it, somewhere between our send and its answer, in
 * any 1,000 ms. So each send holds one of `limit` places from its slot until `window` ms after its answer (until
 * then, for as long as it is unanswered): at any moment the messages Telegram received in the last second all still
 * hold their places, hence never more than `limit` of them, however late a request arrives. Slots are also spaced
 * `interval` apart on one line, so sends spread over the second instead of bursting. Returns the wait until the slot
 * (ms) or, while `limit` sends are unanswered, minus how long until asking again (nothing reserved then).
 * KEYS: the line's last slot, the unanswered holds (score: when one lapses, e.g. its instance died), the answered
 * holds (score: when one frees). ARGV: interval, limit, lapse, hold id, and `now` (tests; else Redis's clock). Times are in
 * microseconds, whole numbers, so 30 slots of 1000/30 ms add up without drift.
 */
const RESERVE = defineScript("pacing.reserve", 3, `
${nowMicros(5)}
local interval = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local lapse = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
local pending = redis.call('ZCARD', KEYS[2])
if pending >= limit then return -math.ceil(interval / 1000) end
local slot = tonumber(redis.call('GET', KEYS[1]) or '0') + interval
if slot < now then slot = now end
local over = redis.call('ZCARD', KEYS[3]) + pending - limit + 1
if over > 0 then
  local frees = tonumber(redis.call('ZRANGE', KEYS[3], over - 1, over - 1, 'WITHSCORES')[2])
  if frees > slot then slot = frees end
end
redis.call('SET', KEYS[1], string.format('%d', slot), 'PX', 60000)
redis.call('ZADD', KEYS[2], string.format('%d', slot + lapse), ARGV[4])
redis.call('PEXPIRE', KEYS[2], math.ceil(lapse / 1000) + 60000)
return math.ceil((slot - now) / 1000)
`);

/** A send answered (or failed): its hold frees `window` from now. A hold that lapsed meanwhile stays gone. */
const ANSWERED = defineScript("pacing.answered", 2, `
${nowMicros(3)}
if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], string.format('%d', now + tonumber(ARGV[2])), ARGV[1])
redis.call('PEXPIRE', KEYS[2], math.ceil(tonumber(ARGV[2]) / 1000) + 60000)
return 1
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

/** Telegram's window for the bot-wide limit (ms). */
const BOT_WINDOW_MS = 1000;
/** An unanswered hold lapses this long after its slot (its instance died mid-send): longer than any request. */
const HOLD_LAPSE_MS = 60_000;

/** A place on the bot-wide line: `wait` ms until its slot; `answered()` once Telegram has answered (or the send failed). */
export interface BotSlot {
  wait: number;
  answered(): Promise<void>;
}

export function createPacingRepository(redis: Redis, opts: { now?: () => number } = {}) {
  const LINE = globalKey("{pace}", "line");
  const PENDING = globalKey("{pace}", "pending");
  const ANSWERED_HOLDS = globalKey("{pace}", "answered");
  const now = (): string => (opts.now ? String(opts.now() * 1000) : "");
  const micros = (ms: number): string => String(Math.floor(ms * 1000));
  return {
    /**
     * Reserves a send on the bot-wide line of `perSecond`: its slot, or `{ retryMs }` while `perSecond` sends are
     * unanswered (nothing reserved then).
     */
    async reserveBot(perSecond: number): Promise<BotSlot | { retryMs: number }> {
      const id = `${Date.now().toString(36)}.${Math.random().toString(36).slice(2)}`;
      const wait = Number(await RESERVE.run(redis, 3, LINE, PENDING, ANSWERED_HOLDS, micros(1000 / perSecond), String(perSecond), micros(HOLD_LAPSE_MS), id, now()));
      if (wait < 0) return { retryMs: -wait };
      return {
        wait,
        answered: async () => void (await ANSWERED.run(redis, 2, PENDING, ANSWERED_HOLDS, id, micros(BOT_WINDOW_MS), now())),
      };
    },

    /** `count` sends (default one) into a group under `perMinute`, bursts allowed: 0 when taken, else the wait in ms. */
    async takeGroup(chatId: number, perMinute: number, count = 1): Promise<number> {
      const nonce = Math.random().toString(36).slice(2);
      return Number(await TAKE.run(redis, 1, groupKey(chatId, "outbox", "pace"), "60000", String(perMinute), nonce, String(count)));
    },
  };
}

export type PacingRepository = ReturnType<typeof createPacingRepository>;
