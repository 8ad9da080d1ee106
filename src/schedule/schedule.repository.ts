import type { Redis } from "../shared/redis.js";
import { defineScript } from "../shared/redis-scripts.js";
import { globalKey, groupKey } from "../shared/keys.js";

const CLAIM_TTL_MS = 40 * 24 * 3600 * 1000; // well past any grace window: never deleted early
// The due set and the payloads are written together, so they share the hash tag `{timers}` (one cluster slot).
const TIMERS = globalKey("{timers}");
const TIMER_PAYLOADS = globalKey("{timers}", "payload");
const TIMER_ATTEMPTS = globalKey("{timers}", "attempts");
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

/**
 * Leases up to ARGV[2] timers due by ARGV[1] instead of removing them: each one's due time moves
 * forward by its lease (ARGV[3] ms, doubled per earlier attempt, at most ARGV[4] ms) and its attempt
 * is counted. Only `ack` removes a timer, so one whose handler crashed comes back when its lease ends.
 * Returns id, lease end, payload, attempt for each; a due id without payload is an orphan and is removed.
 */
const TAKE_DUE = defineScript("schedule.take-due", 3, `
local now = tonumber(ARGV[1])
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
for i = 1, #due do
  local id = due[i]
  local raw = redis.call('HGET', KEYS[2], id)
  if raw then
    local attempt = redis.call('HINCRBY', KEYS[3], id, 1)
    local lease = math.min(tonumber(ARGV[3]) * 2 ^ math.min(attempt - 1, 20), tonumber(ARGV[4]))
    local untilAt = now + lease
    redis.call('ZADD', KEYS[1], untilAt, id)
    table.insert(out, id)
    table.insert(out, tostring(untilAt))
    table.insert(out, raw)
    table.insert(out, tostring(attempt))
  else
    redis.call('ZREM', KEYS[1], id)
    redis.call('HDEL', KEYS[3], id)
  end
end
return out
`);

/** Removes a leased timer if it is still the same lease (not set again meanwhile): 1 removed, 0 not. */
const ACK = defineScript("schedule.ack", 3, `
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) ~= tonumber(ARGV[2]) then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
return 1
`);

/** Moves a lease's end to ARGV[3] while the handler still runs, if it is still that lease: 1 moved, 0 not. */
const EXTEND = defineScript("schedule.extend", 1, `
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) ~= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
return 1
`);

/** A slot's claim: `run|owner|claimedAt` while its work is being handed over, `done|owner|at` after. */
const CLAIM_SLOT = defineScript("schedule.claim-slot", 1, `
local cur = redis.call('GET', KEYS[1])
if not cur then
  redis.call('SET', KEYS[1], 'run|' .. ARGV[1] .. '|' .. ARGV[2], 'PX', ARGV[4])
  return 1
end
local state, owner, at = string.match(cur, '^(%a+)|(.*)|(%d+)$')
if state ~= 'run' then return 0 end
if tonumber(at) > tonumber(ARGV[2]) - tonumber(ARGV[3]) then return 0 end
redis.call('SET', KEYS[1], 'run|' .. ARGV[1] .. '|' .. ARGV[2], 'PX', ARGV[4])
return 2
`);

/** Gives a claim up (its work failed here) if it is still this owner's, so the next tick claims it again. */
const RELEASE_SLOT = defineScript("schedule.release-slot", 1, `
local cur = redis.call('GET', KEYS[1])
if cur and string.sub(cur, 1, #ARGV[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

/** How long a claimed slot's work may take before another tick takes the claim over. */
export const SLOT_LEASE_MS = 60_000;
/** How long a taken timer is hidden from other takers at first (doubled per attempt). */
export const TIMER_LEASE_MS = 60_000;
const TIMER_MAX_LEASE_MS = 3600_000;

export interface LeasedTimer extends TimerEntry {
  /** Which attempt this is (1 the first time). */
  attempt: number;
  /** The lease's end: `ack` removes the timer only while it still has this due time. */
  leaseUntil: number;
}

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

  /** The timer's work is done (or handed to the outbox): it leaves Redis, unless it was set again meanwhile. */
  async function ack(id: string, leaseUntil: number): Promise<boolean> {
    return Number(await ACK.run(redis, 3, TIMERS, TIMER_PAYLOADS, TIMER_ATTEMPTS, id, String(leaseUntil))) === 1;
  }

  return {
    /**
     * True for one caller per group, slot key and slot time at a time, across instances: the first, or
     * the one that takes over a claim whose work was not marked done within SLOT_LEASE_MS (a crash
     * between claim and hand-over). The slot's work must therefore be idempotent.
     */
    async claimSlot(groupId: number, slotKey: string, slotAt: number, owner: string, now = Date.now()): Promise<boolean> {
      const key = groupKey(groupId, "slot", slotKey, slotAt);
      const r = Number(await CLAIM_SLOT.run(redis, 1, key, owner, String(now), String(SLOT_LEASE_MS), String(CLAIM_TTL_MS)));
      return r > 0;
    },

    /** The claimed slot's work is handed over (enqueued): nobody takes it over any more. */
    async slotDone(groupId: number, slotKey: string, slotAt: number, owner: string, now = Date.now()): Promise<void> {
      await redis.set(groupKey(groupId, "slot", slotKey, slotAt), `done|${owner}|${now}`, "PX", CLAIM_TTL_MS);
    },

    /** The claimed slot's work failed here: the claim goes, so the next tick (here or elsewhere) tries again. */
    async releaseSlot(groupId: number, slotKey: string, slotAt: number, owner: string): Promise<void> {
      await RELEASE_SLOT.run(redis, 1, groupKey(groupId, "slot", slotKey, slotAt), `run|${owner}|`);
    },

    async setTimer(t: TimerEntry): Promise<void> {
      await redis
        .multi()
        .hset(TIMER_PAYLOADS, t.id, JSON.stringify({ kind: t.kind, at: t.at, payload: t.payload }))
        .zadd(TIMERS, t.at, t.id)
        .hdel(TIMER_ATTEMPTS, t.id)
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
      await redis.multi().zrem(TIMERS, id).hdel(TIMER_PAYLOADS, id).hdel(TIMER_ATTEMPTS, id).exec();
    },

    /**
     * Leases up to `limit` timers due by `now`: each goes to one caller, and comes back after its
     * lease unless that caller `ack`s it. Unreadable payloads are removed rather than retried.
     */
    async takeDue(now: number, limit = 100): Promise<LeasedTimer[]> {
      if (!legacyMoved) await moveLegacyTimers();
      const flat = (await TAKE_DUE.run(
        redis, 3, TIMERS, TIMER_PAYLOADS, TIMER_ATTEMPTS,
        String(now), String(limit), String(TIMER_LEASE_MS), String(TIMER_MAX_LEASE_MS),
      )) as string[];
      const out: LeasedTimer[] = [];
      for (let i = 0; i + 3 < flat.length; i += 4) {
        const id = flat[i] as string;
        const leaseUntil = Number(flat[i + 1]);
        let parsed: { kind: string; at?: number; payload: Record<string, unknown> };
        try {
          parsed = JSON.parse(flat[i + 2] as string) as typeof parsed;
        } catch {
          await ack(id, leaseUntil); // unreadable: dropped rather than coming back for ever
          continue;
        }
        out.push({ id, at: parsed.at ?? now, kind: parsed.kind, payload: parsed.payload, attempt: Number(flat[i + 3]), leaseUntil });
      }
      return out;
    },

    ack,

    /** A handler still at work keeps its timer from other takers: the lease ends at `until` instead. */
    async extendLease(id: string, leaseUntil: number, until: number): Promise<boolean> {
      return Number(await EXTEND.run(redis, 1, TIMERS, id, String(leaseUntil), String(until))) === 1;
    },
  };
}

export type ScheduleRepository = ReturnType<typeof createScheduleRepository>;
