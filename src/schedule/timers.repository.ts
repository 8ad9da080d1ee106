import type { Redis } from "../shared/redis.js";
import { globalKey } from "../shared/keys.js";
import { ACK, EXTEND, MOVE_TIMER, RELEASE, TAKE_DUE } from "./timer-scripts.js";

// The due set, the payloads, the attempts and the group index are written together, so they share the hash
// tag `{timers}` (one cluster slot).
const TIMERS = globalKey("{timers}");
const TIMER_PAYLOADS = globalKey("{timers}", "payload");
const TIMER_ATTEMPTS = globalKey("{timers}", "attempts");
/** Sorted set: id of a timer whose payload names a group (`groupId`) → that group's id, so a group's timers are found alone. */
const TIMER_GROUPS = globalKey("{timers}", "by-group");
/** Set once every timer older than the index is in it (built on the first move of a group). */
const TIMER_GROUPS_READY = globalKey("{timers}", "by-group", "ready");
/** Where timers lived before they shared a slot; moved over on the first take. */
const LEGACY_TIMERS = globalKey("timers");
const LEGACY_PAYLOADS = globalKey("timers", "payload");

/** How long a taken timer is hidden from other takers at first (doubled per attempt). */
export const TIMER_LEASE_MS = 60_000;
const TIMER_MAX_LEASE_MS = 3600_000;
/** Most timers one take leases (a Lua `unpack` of this many pairs stays far below its stack limit). */
export const TAKE_MAX = 1000;

export interface TimerEntry {
  /** Unique per timer; scheduling the same id again moves it. */
  id: string;
  kind: string;
  at: number;
  payload: Record<string, unknown>;
}

export interface LeasedTimer extends TimerEntry {
  /** Which attempt this is (1 the first time). */
  attempt: number;
  /** The lease's end: `ack` removes the timer only while it still has this due time. */
  leaseUntil: number;
}

/** A leased timer as `ack`, `extendLeases` and `release` name it: its id and its lease's current end. */
export interface Lease {
  id: string;
  leaseUntil: number;
}

interface StoredTimer {
  kind: string;
  at?: number;
  payload: Record<string, unknown>;
}

function parseStored(raw: string): StoredTimer | undefined {
  try {
    const parsed = JSON.parse(raw) as StoredTimer;
    return typeof parsed === "object" && parsed !== null && typeof parsed.kind === "string" ? parsed : undefined;
  } catch {
    return undefined;
  }
}

const groupOf = (payload: Record<string, unknown> | undefined): number | undefined => {
  const id = payload?.["groupId"];
  return typeof id === "number" && Number.isSafeInteger(id) ? id : undefined;
};

const flatLeases = (leases: readonly Lease[]) => leases.flatMap((l) => [l.id, String(l.leaseUntil)]);

/** Durable one-shot timers: a due set, payloads and attempts under `{timers}`, leased to one taker at a time. */
export function createTimersRepository(redis: Redis) {
  let legacyMoved = false;

  /** Moves timers from the old keys (different slots) one by one; ZREM decides which instance moves each. */
  async function moveLegacyTimers(): Promise<void> {
    const flat = await redis.zrange(LEGACY_TIMERS, "0", "-1", "WITHSCORES");
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const id = flat[i] as string;
      if ((await redis.zrem(LEGACY_TIMERS, id)) !== 1) continue;
      const raw = await redis.hget(LEGACY_PAYLOADS, id);
      if (raw) {
        const m = redis.multi().hset(TIMER_PAYLOADS, id, raw).zadd(TIMERS, Number(flat[i + 1]), id);
        const group = groupOf(parseStored(raw)?.payload);
        if (group !== undefined) m.zadd(TIMER_GROUPS, group, id);
        await m.exec();
      }
      await redis.hdel(LEGACY_PAYLOADS, id);
    }
    legacyMoved = true;
  }

  /** The timers' work is done (or handed to the outbox): they leave Redis, except those set again meanwhile. Returns the ids removed. */
  async function ackMany(leases: readonly Lease[]): Promise<string[]> {
    if (leases.length === 0) return [];
    return (await ACK.run(redis, 4, TIMERS, TIMER_PAYLOADS, TIMER_ATTEMPTS, TIMER_GROUPS, ...flatLeases(leases))) as string[];
  }

  /** Timers written before the group index existed join it, once per deployment (the first group move). */
  async function indexOlderTimers(): Promise<void> {
    if ((await redis.exists(TIMER_GROUPS_READY)) === 1) return;
    let cursor = "0";
    do {
      const [next, flat] = await redis.hscan(TIMER_PAYLOADS, cursor, "COUNT", 500);
      cursor = next;
      const pairs: (string | number)[] = [];
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const group = groupOf(parseStored(flat[i + 1] as string)?.payload);
        if (group !== undefined) pairs.push(group, flat[i] as string);
      }
      if (pairs.length > 0) await redis.zadd(TIMER_GROUPS, ...pairs);
    } while (cursor !== "0");
    await redis.set(TIMER_GROUPS_READY, "1");
  }

  return {
    async setTimer(t: TimerEntry): Promise<void> {
      await setTimers([t]);
    },

    setTimers,

    /** A group became a supergroup: its pending timers (sign-in closing, lesson quizzes) act on the new id. Reads only that group's timers. */
    async moveGroup(from: number, to: number): Promise<void> {
      await indexOlderTimers();
      const ids = await redis.zrangebyscore(TIMER_GROUPS, from, from);
      if (ids.length === 0) return;
      const raws = await redis.hmget(TIMER_PAYLOADS, ...ids);
      for (const [i, id] of ids.entries()) {
        const raw = raws[i];
        const entry = raw ? parseStored(raw) : undefined;
        if (!raw || !entry || groupOf(entry.payload) !== from) {
          // Gone meanwhile (taken orphan, or set again for another group): the index forgets it here.
          if (!entry || groupOf(entry.payload) === undefined) await redis.zrem(TIMER_GROUPS, id);
          continue;
        }
        // Only if it is still pending as read: a timer taken meanwhile must not come back as a payload alone.
        const moved = JSON.stringify({ ...entry, payload: { ...entry.payload, groupId: to } });
        await MOVE_TIMER.run(redis, 3, TIMERS, TIMER_PAYLOADS, TIMER_GROUPS, id, raw, moved, String(to));
      }
    },

    async cancelTimer(id: string): Promise<void> {
      await redis.multi().zrem(TIMERS, id).hdel(TIMER_PAYLOADS, id).hdel(TIMER_ATTEMPTS, id).zrem(TIMER_GROUPS, id).exec();
    },

    /**
     * Leases up to `limit` (at most TAKE_MAX) timers due by `now`: each goes to one caller, and comes back after
     * its lease unless that caller `ack`s it. Unreadable payloads are removed rather than retried.
     */
    async takeDue(now: number, limit = 100): Promise<LeasedTimer[]> {
      if (!legacyMoved) await moveLegacyTimers();
      const flat = (await TAKE_DUE.run(
        redis, 4, TIMERS, TIMER_PAYLOADS, TIMER_ATTEMPTS, TIMER_GROUPS,
        String(now), String(Math.min(limit, TAKE_MAX)), String(TIMER_LEASE_MS), String(TIMER_MAX_LEASE_MS),
      )) as string[];
      const out: LeasedTimer[] = [];
      const unreadable: Lease[] = [];
      for (let i = 0; i + 3 < flat.length; i += 4) {
        const id = flat[i] as string;
        const leaseUntil = Number(flat[i + 1]);
        const parsed = parseStored(flat[i + 2] as string);
        if (!parsed) unreadable.push({ id, leaseUntil }); // dropped rather than coming back for ever
        else out.push({ id, at: parsed.at ?? now, kind: parsed.kind, payload: parsed.payload, attempt: Number(flat[i + 3]), leaseUntil });
      }
      await ackMany(unreadable);
      return out;
    },

    /** The timer's work is done: it leaves Redis, unless it was set again meanwhile. */
    async ack(id: string, leaseUntil: number): Promise<boolean> {
      return (await ackMany([{ id, leaseUntil }])).length === 1;
    },

    ackMany,

    /** Handlers still at work keep their timers from other takers: the leases still held end at `until` instead. Returns the ids moved. */
    async extendLeases(leases: readonly Lease[], until: number): Promise<Set<string>> {
      if (leases.length === 0) return new Set();
      return new Set((await EXTEND.run(redis, 1, TIMERS, String(until), ...flatLeases(leases))) as string[]);
    },

    /** Leased timers not run (the tick's time was up) are due again at once, their attempt not counted. Returns how many. */
    async release(timers: readonly LeasedTimer[]): Promise<number> {
      if (timers.length === 0) return 0;
      const args = timers.flatMap((t) => [t.id, String(t.leaseUntil), String(t.at), String(t.attempt - 1)]);
      return Number(await RELEASE.run(redis, 2, TIMERS, TIMER_ATTEMPTS, ...args));
    },
  };

  /** Sets (or moves) many timers in one transaction: three or four commands, whatever their number. */
  async function setTimers(entries: readonly TimerEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const payloads: string[] = [];
    const due: (string | number)[] = [];
    const groups: (string | number)[] = [];
    for (const t of entries) {
      payloads.push(t.id, JSON.stringify({ kind: t.kind, at: t.at, payload: t.payload }));
      due.push(t.at, t.id);
      const group = groupOf(t.payload);
      if (group !== undefined) groups.push(group, t.id);
    }
    const m = redis.multi().hset(TIMER_PAYLOADS, ...payloads).zadd(TIMERS, ...due).hdel(TIMER_ATTEMPTS, ...entries.map((t) => t.id));
    if (groups.length > 0) m.zadd(TIMER_GROUPS, ...groups);
    await m.exec();
  }
}

export type TimersRepository = ReturnType<typeof createTimersRepository>;
