import type { Redis } from "../shared/redis.js";
import { defineScript } from "../shared/redis-scripts.js";
import { groupKey } from "../shared/keys.js";
import type { Counter, Increments } from "./counters.js";

/**
 * Records one participation event atomically: the raw event (a stream, for recounts), the
 * member's week and all-time counters, the group's day counters and the member's last activity.
 * With a once-member, the event is recorded only if it was not yet in the set `k[1]` (a second
 * Studied press, a redelivered update), and nothing at all changes otherwise. A Lua function, so a
 * feature's own script can record its effect and the ledger in one step (`LEDGER_LUA`, `ledgerKeys`);
 * `k` holds the seven keys of `ledgerKeys`, `incs` counter/amount pairs.
 */
export const LEDGER_LUA = `
local function record_activity(k, once_member, uid, at, ref, week, incs)
  if once_member ~= '' then
    if redis.call('SADD', k[1], once_member) == 0 then return 0 end
  end
  local fields = {'uid', uid, 'at', at, 'ref', ref}
  for i = 1, #incs, 2 do
    local counter, amount = incs[i], tonumber(incs[i + 1])
    redis.call('HINCRBY', k[2], uid .. ':' .. counter, amount)
    redis.call('HINCRBY', k[3], uid .. ':' .. counter, amount)
    redis.call('HINCRBY', k[4], counter, amount)
    table.insert(fields, counter)
    table.insert(fields, incs[i + 1])
  end
  redis.call('XADD', k[5], 'MAXLEN', '~', '200000', '*', unpack(fields))
  redis.call('ZADD', k[6], at, uid)
  redis.call('SADD', k[7], week)
  return 1
end
`;

const RECORD = defineScript("activity.record", undefined, `${LEDGER_LUA}
local incs = {}
for i = 6, #ARGV do table.insert(incs, ARGV[i]) end
return record_activity(KEYS, ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], incs)
`);

/** The seven keys `record_activity` writes, in its order (the once-set first; a placeholder without one). */
export function ledgerKeys(e: Pick<ActivityEvent, "groupId" | "weekId" | "dayId" | "once">): string[] {
  return [
    e.once?.key ?? groupKey(e.groupId, "noop"),
    groupKey(e.groupId, "wk", e.weekId),
    groupKey(e.groupId, "all"),
    groupKey(e.groupId, "day", e.dayId),
    groupKey(e.groupId, "events"),
    groupKey(e.groupId, "active"),
    groupKey(e.groupId, "weeks"),
  ];
}

export interface ActivityEvent {
  groupId: number;
  userId: number;
  at: number;
  weekId: string;
  dayId: string;
  /** What the event is about, e.g. `lesson:technology-03`; kept in the raw stream. */
  ref: string;
  increments: Increments;
  once?: { key: string; member: string };
}

export function createActivityRepository(redis: Redis) {
  return {
    /** Returns false when `once` says it was already recorded (and nothing changed). */
    async record(e: ActivityEvent): Promise<boolean> {
      const pairs = Object.entries(e.increments).flatMap(([c, n]) => [c, String(n)]);
      const keys = ledgerKeys(e);
      const args = [e.once?.member ?? "", String(e.userId), String(e.at), e.ref, e.weekId, ...pairs];
      const result = await RECORD.run(redis, keys.length, ...keys, ...args);
      return result === 1;
    },

    /** Per-member counters of one week: userId → counter → value. */
    async week(groupId: number, weekId: string): Promise<Map<number, Partial<Record<Counter, number>>>> {
      return toMemberMap(await redis.hgetall(groupKey(groupId, "wk", weekId)));
    },

    async allTime(groupId: number): Promise<Map<number, Partial<Record<Counter, number>>>> {
      return toMemberMap(await redis.hgetall(groupKey(groupId, "all")));
    },

    async day(groupId: number, dayId: string): Promise<Partial<Record<Counter, number>>> {
      const raw = await redis.hgetall(groupKey(groupId, "day", dayId));
      return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
    },

    /** Members' last activity instants. */
    async lastActive(groupId: number): Promise<Map<number, number>> {
      const flat = await redis.zrange(groupKey(groupId, "active"), "0", "-1", "WITHSCORES");
      const out = new Map<number, number>();
      for (let i = 0; i + 1 < flat.length; i += 2) out.set(Number(flat[i]), Number(flat[i + 1]));
      return out;
    },

    /**
     * One member's raw events since `since` (ms), newest first, at most `limit` (the console's timeline). The group's
     * stream is read back in pages of `page` entries, so a busy group costs a bounded number of round trips.
     */
    async memberEvents(groupId: number, userId: number, since: number, limit = 200, page = 2000): Promise<{ at: number; ref: string; counters: Partial<Record<Counter, number>> }[]> {
      const out: { at: number; ref: string; counters: Partial<Record<Counter, number>> }[] = [];
      const uid = String(userId);
      let end = "+";
      for (let pages = 0; pages < 50 && out.length < limit; pages++) {
        const entries = await redis.xrevrange(groupKey(groupId, "events"), end, String(since), "COUNT", page);
        for (const [, flat] of entries) {
          const f = new Map<string, string>();
          for (let i = 0; i + 1 < flat.length; i += 2) f.set(flat[i] ?? "", flat[i + 1] ?? "");
          if (f.get("uid") !== uid) continue;
          const counters: Partial<Record<Counter, number>> = {};
          for (const [k, v] of f) if (k !== "uid" && k !== "at" && k !== "ref") counters[k as Counter] = Number(v);
          out.push({ at: Number(f.get("at")), ref: f.get("ref") ?? "", counters });
          if (out.length >= limit) break;
        }
        const last = entries.at(-1);
        if (!last || entries.length < page) break;
        end = `(${last[0]}`;
      }
      return out;
    },

    /** Whether `member` is in a once-set (e.g. has this member studied this lesson). */
    async seen(onceKey: string, member: string): Promise<boolean> {
      return (await redis.sismember(onceKey, member)) === 1;
    },

    async countSeen(onceKey: string): Promise<number> {
      return redis.scard(onceKey);
    },
  };
}

export type ActivityRepository = ReturnType<typeof createActivityRepository>;

function toMemberMap(raw: Record<string, string>): Map<number, Partial<Record<Counter, number>>> {
  const out = new Map<number, Partial<Record<Counter, number>>>();
  for (const [field, value] of Object.entries(raw)) {
    const sep = field.indexOf(":");
    const uid = Number(field.slice(0, sep));
    const counter = field.slice(sep + 1) as Counter;
    const row = out.get(uid) ?? {};
    row[counter] = Number(value);
    out.set(uid, row);
  }
  return out;
}
