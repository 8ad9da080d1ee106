import type { Redis } from "../shared/redis.js";
import { globalKey, groupKey } from "../shared/keys.js";

const CLAIM_TTL_MS = 40 * 24 * 3600 * 1000; // well past any grace window: never deleted early
const TIMERS = globalKey("timers");
const TIMER_PAYLOADS = globalKey("timers", "payload");

export interface TimerEntry {
  /** Unique per timer; scheduling the same id again moves it. */
  id: string;
  kind: string;
  at: number;
  payload: Record<string, unknown>;
}

export function createScheduleRepository(redis: Redis) {
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

    async cancelTimer(id: string): Promise<void> {
      await redis.multi().zrem(TIMERS, id).hdel(TIMER_PAYLOADS, id).exec();
    },

    /** Takes up to `limit` timers due by `now`; each is handed to exactly one caller. */
    async takeDue(now: number, limit = 100): Promise<TimerEntry[]> {
      const ids = await redis.zrangebyscore(TIMERS, "-inf", now, "WITHSCORES", "LIMIT", 0, limit);
      const out: TimerEntry[] = [];
      for (let i = 0; i + 1 < ids.length; i += 2) {
        const id = ids[i] as string;
        const at = Number(ids[i + 1]);
        if ((await redis.zrem(TIMERS, id)) !== 1) continue; // another instance took it
        const raw = await redis.hget(TIMER_PAYLOADS, id);
        await redis.hdel(TIMER_PAYLOADS, id);
        if (!raw) continue;
        const parsed = JSON.parse(raw) as { kind: string; payload: Record<string, unknown> };
        out.push({ id, at, kind: parsed.kind, payload: parsed.payload });
      }
      return out;
    },
  };
}

export type ScheduleRepository = ReturnType<typeof createScheduleRepository>;
