import type { Redis } from "../shared/redis.js";
import { globalKey, groupKey } from "../shared/keys.js";

const CLAIM_TTL_MS = 40 * 24 * 3600 * 1000; // well past any grace window: never deleted early
// The due set and the payloads are written together, so they share the hash tag `{timers}` (one cluster slot).
const TIMERS = globalKey("{timers}");
const TIMER_PAYLOADS = globalKey("{timers}", "payload");
/** Where timers lived before they shared a slot; moved over on the first take. */
const LEGACY_TIMERS = globalKey("timers");
const LEGACY_PAYLOADS = globalKey("timers", "payload");

export interface TimerEntry {
  /** Unique per timer; scheduling the same id again moves it. */
  id: string;
  kind: string;
  at: number;
  payload: Record<string, unknown>;
}

/** Takes up to ARGV[2] timers due by ARGV[1]: removes each from the set and its payload, returns id, at, payload. */
const TAKE_DUE = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
for i = 1, #due, 2 do
  local id = due[i]
  redis.call('ZREM', KEYS[1], id)
  local raw = redis.call('HGET', KEYS[2], id)
  redis.call('HDEL', KEYS[2], id)
  if raw then
    table.insert(out, id)
    table.insert(out, due[i + 1])
    table.insert(out, raw)
  end
end
return out
`;

export function createScheduleRepository(redis: Redis) {
  let legacyMoved = false;

  /** Moves timers from the old keys (different slots) one by one; ZREM decides which instance moves each. */
  async function moveLegacyTimers(): Promise<void> {
    const flat = await redis.zrange(LEGACY_TIMERS, "0", "-1", "WITHSCORES");
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const id = flat[i] as string;
      if ((await redis.zrem(LEGACY_TIMERS, id)) !== 1) continue;
      const raw = await redis.hget(LEGACY_PAYLOADS, id);
      if (raw) await redis.multi().hset(TIMER_PAYLOADS, id, raw).zadd(TIMERS, Number(flat[i + 1]), id).exec();
      await redis.hdel(LEGACY_PAYLOADS, id);
    }
    legacyMoved = true;
  }

  return {
    /** True for exactly one caller per group, slot key and slot time, across instances. */
    async claimSlot(groupId: number, slotKey: string, slotAt: number, owner: string): Promise<boolean> {
      const r = await redis.set(groupKey(groupId, "slot", slotKey, slotAt), owner, "PX", CLAIM_TTL_MS, "NX");
      return r === "OK";
    },

    async setTimer(t: TimerEntry): Promise<void> {
      await redis
        .multi()
        .hset(TIMER_PAYLOADS, t.id, JSON.stringify({ kind: t.kind, payload: t.payload }))
        .zadd(TIMERS, t.at, t.id)
        .exec();
    },

    /** A group became a supergroup: its pending timers (sign-in closing, lesson quizzes) act on the new id. */
    async moveGroup(from: number, to: number): Promise<void> {
      for (const [id, raw] of Object.entries(await redis.hgetall(TIMER_PAYLOADS))) {
        let entry: { kind: string; payload: Record<string, unknown> };
        try {
          entry = JSON.parse(raw) as typeof entry;
        } catch {
          continue;
        }
        if (entry.payload?.["groupId"] !== from) continue;
        // Only if it is still pending: a timer taken meanwhile must not come back as a payload alone.
        if ((await redis.zscore(TIMERS, id)) === null) continue;
        await redis.hset(TIMER_PAYLOADS, id, JSON.stringify({ ...entry, payload: { ...entry.payload, groupId: to } }));
      }
    },

    async cancelTimer(id: string): Promise<void> {
      await redis.multi().zrem(TIMERS, id).hdel(TIMER_PAYLOADS, id).exec();
    },

    /** Takes up to `limit` timers due by `now`; each is handed to exactly one caller. */
    async takeDue(now: number, limit = 100): Promise<TimerEntry[]> {
      if (!legacyMoved) await moveLegacyTimers();
      const flat = (await redis.eval(TAKE_DUE, 2, TIMERS, TIMER_PAYLOADS, String(now), String(limit))) as string[];
      const out: TimerEntry[] = [];
      for (let i = 0; i + 2 < flat.length; i += 3) {
        let parsed: { kind: string; payload: Record<string, unknown> };
        try {
          parsed = JSON.parse(flat[i + 2] as string) as typeof parsed;
        } catch {
          continue; // unreadable: taken, and dropped rather than blocking the others
        }
        out.push({ id: flat[i] as string, at: Number(flat[i + 1]), kind: parsed.kind, payload: parsed.payload });
      }
      return out;
    },
  };
}

export type ScheduleRepository = ReturnType<typeof createScheduleRepository>;
