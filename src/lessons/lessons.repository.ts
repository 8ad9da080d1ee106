import type { Redis } from "../shared/redis.js";
import { defineScript } from "../shared/redis-scripts.js";
import { groupKey } from "../shared/keys.js";
import { createHandoffStore } from "../shared/private-handoff.js";
import { PRESS_TOLL_LUA, tollRefused, type TollPart, type TollRefused } from "../floods/index.js";
import { LEDGER_LUA, ledgerKeys, type ActivityEvent } from "../activity/index.js";

/** How long the names of secretaries a /push missed wait for the organiser who asked to press Start. */
export const PENDING_MISSING_TTL_MS = 24 * 3600 * 1000;

/**
 * A Studied press in one round trip: -1 the lesson was never pushed to the group (nothing changes), else the
 * ledger's answer (1 counted now, 0 already counted). KEYS[1] the group's pushes, KEYS 2-8 the ledger's.
 * A press's toll (flood window, roster touch) comes first when given (KEYS 9-15, ARGV 6-14): -2 - code
 * over a flood limit, nothing written.
 */
const STUDIED = defineScript("lessons.studied", undefined, `${LEDGER_LUA}${PRESS_TOLL_LUA}
if #KEYS > 8 then
  local code = pay_toll_at(9, 6)
  if code ~= 0 then return -2 - code end
end
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return -1 end
return record_activity({KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8]}, ARGV[2], ARGV[2], ARGV[3], ARGV[4], ARGV[5], {'lessons_studied', '1'})
`);

export interface PushRecord {
  lessonId: string;
  at: number;
  weekId: string;
  /** The message that carries the buttons. */
  messageId: number;
}

/** Takes the next position of a track if one is left: returns the index taken, or -1. */
const CLAIM_NEXT = defineScript("lessons.claim-next", 1, `
local pos = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if pos >= tonumber(ARGV[2]) then return -1 end
redis.call('HSET', KEYS[1], ARGV[1], pos + 1)
return pos
`);

/** Gives a position back after a push failed, unless someone moved on since; the lesson it held is forgotten. */
const RELEASE = defineScript("lessons.release", 2, `
local pos = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if pos == tonumber(ARGV[2]) + 1 then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  redis.call('HDEL', KEYS[2], ARGV[2])
  return 1
end
return 0
`);

/**
 * Which lesson a claimed position of a track holds: the first to name one wins, and a lesson already held by
 * another position is refused (returns false), so a lesson is never pushed twice whatever the order says.
 */
const TAKE = defineScript("lessons.take", 1, `
local known = redis.call('HGET', KEYS[1], ARGV[1])
if known then return known end
for _, id in ipairs(redis.call('HVALS', KEYS[1])) do
  if id == ARGV[2] then return false end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return ARGV[2]
`);

/** Like CLAIM_NEXT, but once per token: a retried delivery gets the position it took the first time. */
const CLAIM_FOR = defineScript("lessons.claim-for", 2, `
local known = redis.call('HGET', KEYS[2], ARGV[3])
if known then return tonumber(known) end
local pos = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
local taken = -1
if pos < tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[1], ARGV[1], pos + 1)
  taken = pos
end
redis.call('HSET', KEYS[2], ARGV[3], taken)
redis.call('PEXPIRE', KEYS[2], 3456000000)
return taken
`);

export function createLessonsRepository(redis: Redis) {
  const positions = (g: number) => groupKey(g, "lessons", "pos");
  const pushes = (g: number) => groupKey(g, "lessons", "pushed");
  const studiedKey = (groupId: number, lessonId: string) => groupKey(groupId, "lessons", "studied", lessonId);
  const current = (g: number) => groupKey(g, "lessons", "current");
  const taken = (g: number, track: string) => groupKey(g, "lessons", "taken", track);

  const handoff = createHandoffStore(redis);
  // Keyed by the organiser who pushed: nobody else's Start can take it.
  const pendingMissing = (groupId: number, userId: number) => groupKey(groupId, "lessons", "missing", userId);
  return {
    studiedKey,

    async claimNext(groupId: number, track: string, count: number): Promise<number> {
      return Number(await CLAIM_NEXT.run(redis, 1, positions(groupId), track, String(count)));
    },

    /** claimNext once per `token` (an outbox job): asking again returns the same index. */
    async claimFor(groupId: number, track: string, count: number, token: string): Promise<number> {
      return Number(await CLAIM_FOR.run(redis, 2, positions(groupId), groupKey(groupId, "lessons", "claims"), track, String(count), token));
    },

    async release(groupId: number, track: string, index: number): Promise<void> {
      await RELEASE.run(redis, 2, positions(groupId), taken(groupId, track), track, String(index));
    },

    /** Names the lesson at a claimed `index`; returns the lesson it holds, or undefined when `lessonId` is held elsewhere. */
    async take(groupId: number, track: string, index: number, lessonId: string): Promise<string | undefined> {
      const r = await TAKE.run(redis, 1, taken(groupId, track), String(index), lessonId);
      return typeof r === "string" ? r : undefined;
    },

    /** The lessons named at the track's claimed positions (positions claimed before these records existed are absent). */
    async taken(groupId: number, track: string): Promise<Map<number, string>> {
      const raw = await redis.hgetall(taken(groupId, track));
      return new Map(Object.entries(raw).map(([k, v]) => [Number(k), v]));
    },

    async positions(groupId: number): Promise<Record<string, number>> {
      const raw = await redis.hgetall(positions(groupId));
      return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
    },

    async recordPush(groupId: number, track: string, push: PushRecord): Promise<void> {
      await redis
        .multi()
        .hset(pushes(groupId), push.lessonId, JSON.stringify(push))
        .hset(current(groupId), track, push.lessonId)
        .zadd(groupKey(groupId, "lessons", "log"), push.at, push.lessonId)
        .exec();
    },

    /** Marks `lessonId` studied by `event.userId` if it was pushed to the group, with its ledger entry, at once. */
    async markStudied(event: Pick<ActivityEvent, "groupId" | "userId" | "at" | "weekId" | "dayId" | "ref">, lessonId: string, toll?: TollPart): Promise<"stale" | "counted" | "already" | TollRefused> {
      const g = event.groupId;
      const keys = ledgerKeys({ ...event, once: { key: studiedKey(g, lessonId), member: String(event.userId) } });
      const tollKeys = toll?.keys ?? [];
      const r = Number(await STUDIED.run(redis, 8 + tollKeys.length, pushes(g), ...keys, ...tollKeys, lessonId, String(event.userId), String(event.at), event.ref, event.weekId, ...(toll?.args ?? [])));
      if (toll) toll.taken = true;
      if (r < -2) return tollRefused(-2 - r);
      return r < 0 ? "stale" : r === 1 ? "counted" : "already";
    },

    async push(groupId: number, lessonId: string): Promise<PushRecord | undefined> {
      const raw = await redis.hget(pushes(groupId), lessonId);
      return raw ? (JSON.parse(raw) as PushRecord) : undefined;
    },

    async allPushes(groupId: number): Promise<PushRecord[]> {
      const raw = await redis.hvals(pushes(groupId));
      return raw.map((r) => JSON.parse(r) as PushRecord).sort((a, b) => a.at - b.at);
    },

    /** The lesson last pushed in each track. */
    async current(groupId: number): Promise<Record<string, string>> {
      return redis.hgetall(current(groupId));
    },

    /** Who a secretaries' /push missed (JSON), for the organiser who asked; a newer /push replaces it. */
    async keepMissing(groupId: number, userId: number, json: string): Promise<void> {
      await handoff.keep(pendingMissing(groupId, userId), json, PENDING_MISSING_TTL_MS);
    },

    takeMissing: (groupId: number, userId: number) => handoff.take(pendingMissing(groupId, userId)),
  };
}

export type LessonsRepository = ReturnType<typeof createLessonsRepository>;
