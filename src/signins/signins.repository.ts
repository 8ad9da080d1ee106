import type { Redis } from "../shared/redis.js";
import { defineScript } from "../shared/redis-scripts.js";
import { groupKey } from "../shared/keys.js";
import { createHandoffStore } from "../shared/private-handoff.js";
import { LEDGER_LUA, ledgerKeys, type ActivityEvent } from "../activity/index.js";
import { PRESS_TOLL_LUA, tollRefused, type TollPart, type TollRefused } from "../floods/index.js";

/** How long a closed sign-in's list waits for an organiser to press Start. */
export const PENDING_LIST_TTL_MS = 7 * 24 * 3600 * 1000;

/** A sign-in session as stored. */
export interface SessionRecord {
  id: number;
  title: string;
  openedAt: number;
  closesAt: number;
  closedAt?: number;
  /** Who opened it; absent when it opened with a lesson. */
  openedBy?: number;
  lateAfterMs: number;
  messageId?: number;
  threadId?: number;
  /** When the closing's work (counts, result, lists) was done; absent while a crashed closing waits to be finished. */
  finishedAt?: number;
  /** Counts fixed at closing, over the roster of that moment. */
  final?: { present: number; late: number; excused: number; absent: number; eligible: number };
}

/** Opens a session unless one is open: returns {1, id} or {0, the open id}. Pending excuses move in. */
const OPEN = defineScript("signins.open", 5, `
local cur = redis.call('GET', KEYS[1])
if cur then return {0, cur} end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], 'json', ARGV[2], 'openedAt', ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
local pending = redis.call('HGETALL', KEYS[4])
local moved = {}
for i = 1, #pending, 2 do
  local at, reason = string.match(pending[i + 1], '^(%d+):(.*)$')
  if at and tonumber(at) >= tonumber(ARGV[4]) then
    redis.call('HSET', KEYS[5], pending[i], reason)
    table.insert(moved, pending[i])
  end
end
redis.call('DEL', KEYS[4])
return {1, ARGV[1], unpack(moved)}
`);

/**
 * One sign-in and its ledger entry, atomically, in the press's one round trip: {1, at, json} recorded
 * now (present or late, as `isLate` decides: signed more than lateAfterMs after opening) and counted in
 * the ledger; {0, at, json} already recorded (json: the session's record); {-1} closed (or past its
 * deadline); {-2} no such session, or not yet opened. KEYS 4-10 are the ledger's (`ledgerKeys`).
 * A press's toll (flood window, roster touch) comes first when given (KEYS 11-17, ARGV 6-14): {-3, code}
 * over a flood limit, nothing written.
 */
const SIGN_IN = defineScript("signins.sign-in", undefined, `${LEDGER_LUA}${PRESS_TOLL_LUA}
if #KEYS > 10 then
  local code = pay_toll_at(11, 6)
  if code ~= 0 then return {-3, code} end
end
local session = redis.call('HMGET', KEYS[2], 'openedAt', 'json', 'closedAt')
local opened, json = session[1], session[2]
if not opened or not json or tonumber(opened) > tonumber(ARGV[3]) then return {-2} end
local prev = redis.call('HGET', KEYS[3], ARGV[2])
local rec = cjson.decode(json)
if session[3] or redis.call('GET', KEYS[1]) ~= ARGV[1]
  or tonumber(ARGV[3]) >= tonumber(rec['closesAt']) then return {-1, prev or ''} end
if prev then return {0, prev, json} end
redis.call('HSET', KEYS[3], ARGV[2], ARGV[3])
local incs = {'signins', '1'}
if tonumber(ARGV[3]) - tonumber(rec['openedAt']) > tonumber(rec['lateAfterMs']) then
  incs = {'signins', '1', 'signins_late', '1'}
end
record_activity({KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10]}, ARGV[2], ARGV[2], ARGV[3], ARGV[4], ARGV[5], incs)
return {1, ARGV[3], json}
`);

/** Closes a session once: 1 closed now, 0 already closed, -2 unknown. */
const CLOSE = defineScript("signins.close", 2, `
if redis.call('HEXISTS', KEYS[2], 'openedAt') == 0 then return -2 end
if redis.call('HSETNX', KEYS[2], 'closedAt', ARGV[2]) == 0 then return 0 end
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`);

/** Takes a session's live-count edit window: 0 taken now, else the milliseconds another instance still holds it. */
const CLAIM_EDIT = defineScript("signins.claim-edit", 1, `
if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return 0 end
local left = redis.call('PTTL', KEYS[1])
if left < 1 then return 1 end
return left
`);

export type SignInOutcome =
  { kind: "new" | "already"; at: number; session: SessionRecord } | { kind: "closed" } | { kind: "unknown" } | TollRefused;

export function createSigninsRepository(redis: Redis) {
  const k = (g: number, ...parts: (string | number)[]) => groupKey(g, "signins", ...parts);
  const handoff = createHandoffStore(redis);
  const countedKey = (groupId: number, id: number) => k(groupId, "s", id, "counted");
  const keys = {
    open: (g: number) => k(g, "open"),
    seq: (g: number) => k(g, "seq"),
    log: (g: number) => k(g, "log"),
    pendingExcuses: (g: number) => k(g, "leave-next"),
    session: (g: number, id: number) => k(g, "s", id),
    present: (g: number, id: number) => k(g, "s", id, "in"),
    excused: (g: number, id: number) => k(g, "s", id, "excused"),
    absent: (g: number, id: number) => k(g, "s", id, "absent"),
    editWindow: (g: number, id: number) => k(g, "s", id, "edit-window"),
  };

  async function session(groupId: number, id: number): Promise<SessionRecord | undefined> {
    const raw = await redis.hmget(keys.session(groupId, id), "json", "closedAt", "messageId", "final", "finishedAt");
    const [json, closedAt, messageId, final, finishedAt] = raw;
    if (!json) return undefined;
    const rec = JSON.parse(json) as SessionRecord;
    if (closedAt) rec.closedAt = Number(closedAt);
    if (messageId) rec.messageId = Number(messageId);
    if (finishedAt) rec.finishedAt = Number(finishedAt);
    if (final) rec.final = JSON.parse(final) as SessionRecord["final"];
    return rec;
  }

  return {
    /** Once-sets for the activity ledger: a member's sign-in and excuse are counted once per session. */
    countedKey,
    excuseCountedKey: (groupId: number, id: number) => k(groupId, "s", id, "excuse-counted"),

    async nextId(groupId: number): Promise<number> {
      return redis.incr(keys.seq(groupId));
    },

    /** Opens `rec` unless a session is open; returns the open one's id otherwise, and who was excused in advance. */
    async open(
      groupId: number,
      rec: SessionRecord,
      excusesSince: number,
    ): Promise<{ opened: boolean; id: number; excused: number[] }> {
      const r = (await OPEN.run(
        redis,
        5,
        keys.open(groupId),
        keys.session(groupId, rec.id),
        keys.log(groupId),
        keys.pendingExcuses(groupId),
        keys.excused(groupId, rec.id),
        String(rec.id),
        JSON.stringify(rec),
        String(rec.openedAt),
        String(excusesSince),
      )) as [number, string, ...string[]];
      return { opened: r[0] === 1, id: Number(r[1]), excused: r.slice(2).map(Number) };
    },

    async setMessage(groupId: number, id: number, messageId: number): Promise<void> {
      await redis.hset(keys.session(groupId, id), "messageId", String(messageId));
    },

    async openId(groupId: number): Promise<number | undefined> {
      const raw = await redis.get(keys.open(groupId));
      return raw ? Number(raw) : undefined;
    },

    session,

    async lastId(groupId: number): Promise<number> {
      return Number((await redis.get(keys.seq(groupId))) ?? 0);
    },

    /**
     * Signs `userId` in, reading the session in the same step (open sessions only: no closing fields), and
     * records a new sign-in in the ledger with it: `ledger` is the ledger's event of a sign-in at `now`
     * (its keys and week; its increments are decided in the script, late or not). `toll`: the press's, paid first.
     */
    async signIn(groupId: number, id: number, userId: number, now: number, ledger: Pick<ActivityEvent, "weekId" | "dayId" | "ref">, toll?: TollPart): Promise<SignInOutcome> {
      const ledgerAt = ledgerKeys({ groupId, weekId: ledger.weekId, dayId: ledger.dayId, once: { key: countedKey(groupId, id), member: String(userId) } });
      const r = (await SIGN_IN.run(
        redis,
        10 + (toll?.keys.length ?? 0),
        keys.open(groupId),
        keys.session(groupId, id),
        keys.present(groupId, id),
        ...ledgerAt,
        ...(toll?.keys ?? []),
        String(id),
        String(userId),
        String(now),
        ledger.ref,
        ledger.weekId,
        ...(toll?.args ?? []),
      )) as [number, (string | number)?, string?];
      if (toll) toll.taken = true;
      if (r[0] === -3) return tollRefused(r[1]);
      if (r[0] === -2) return { kind: "unknown" };
      if (r[0] === -1) return { kind: "closed" };
      const session = JSON.parse(r[2] ?? "{}") as SessionRecord;
      return { kind: r[0] === 1 ? "new" : "already", at: Number(r[1]), session };
    },

    async close(groupId: number, id: number, now: number): Promise<"closed" | "already" | "unknown"> {
      const r = Number(
        await CLOSE.run(redis, 2, keys.open(groupId), keys.session(groupId, id), String(id), String(now)),
      );
      return r === 1 ? "closed" : r === 0 ? "already" : "unknown";
    },

    /** Fixes the counts and the absent members of a closed session. */
    async saveFinal(
      groupId: number,
      id: number,
      final: NonNullable<SessionRecord["final"]>,
      absent: number[],
    ): Promise<void> {
      const tx = redis.multi().hset(keys.session(groupId, id), "final", JSON.stringify(final));
      if (absent.length) tx.sadd(keys.absent(groupId, id), ...absent.map(String));
      await tx.exec();
    },

    /** The closing's work is done: a later closing timer has nothing left to finish. */
    async markFinished(groupId: number, id: number, at: number): Promise<void> {
      await redis.hset(keys.session(groupId, id), "finishedAt", String(at));
    },

    /**
     * One live-count edit per session per `windowMs` across every instance: 0 when this instance may edit now,
     * else how many milliseconds to wait before asking again (another instance edited within the window).
     */
    async claimEdit(groupId: number, id: number, instanceId: string, windowMs: number): Promise<number> {
      return Number(await CLAIM_EDIT.run(redis, 1, keys.editWindow(groupId, id), instanceId, String(windowMs)));
    },

    async presentCount(groupId: number, id: number): Promise<number> {
      return redis.hlen(keys.present(groupId, id));
    },

    async signedIn(groupId: number, id: number): Promise<Map<number, number>> {
      const raw = await redis.hgetall(keys.present(groupId, id));
      return new Map(Object.entries(raw).map(([u, at]) => [Number(u), Number(at)]));
    },

    async excused(groupId: number, id: number): Promise<Map<number, string>> {
      const raw = await redis.hgetall(keys.excused(groupId, id));
      return new Map(Object.entries(raw).map(([u, reason]) => [Number(u), reason]));
    },

    async excuse(groupId: number, id: number, userId: number, reason: string): Promise<void> {
      await redis.hset(keys.excused(groupId, id), String(userId), reason);
    },

    /** An excuse for the next session opened in the group (within the excuse window). */
    async excuseNext(groupId: number, userId: number, reason: string, at: number): Promise<void> {
      await redis.hset(keys.pendingExcuses(groupId), String(userId), `${at}:${reason}`);
    },

    /** Session ids opened in [from, to), oldest first. */
    async idsBetween(groupId: number, from: number, to: number): Promise<number[]> {
      return (await redis.zrangebyscore(keys.log(groupId), from, `(${to}`)).map(Number);
    },

    /** The latest `limit` session ids, newest first. */
    async latestIds(groupId: number, limit: number): Promise<number[]> {
      return (await redis.zrevrange(keys.log(groupId), 0, limit - 1)).map(Number);
    },

    /** A member's mark in each session, in the given order, read in one round trip. */
    async marksOf(
      groupId: number,
      ids: number[],
      userId: number,
    ): Promise<{ signedIn: boolean; excused: boolean; closed: boolean }[]> {
      if (ids.length === 0) return [];
      const tx = redis.pipeline();
      for (const id of ids) {
        tx.hexists(keys.present(groupId, id), String(userId));
        tx.hexists(keys.excused(groupId, id), String(userId));
        tx.hexists(keys.session(groupId, id), "closedAt");
      }
      const res = ((await tx.exec()) ?? []).map(([err, v]) => {
        if (err) throw err;
        return v === 1;
      });
      return ids.map((_, i) => ({
        signedIn: res[i * 3] ?? false,
        excused: res[i * 3 + 1] ?? false,
        closed: res[i * 3 + 2] ?? false,
      }));
    },

    /** A closed session's list no organiser could be sent privately: kept (JSON) for the first one to press Start. */
    async keepPendingList(groupId: number, sessionId: number, json: string): Promise<void> {
      await handoff.keep(k(groupId, "pending-list", sessionId), json, PENDING_LIST_TTL_MS);
    },

    /** Takes it once: a second Start, or another organiser after the first, finds nothing. */
    takePendingList: (groupId: number, sessionId: number) => handoff.take(k(groupId, "pending-list", sessionId)),
  };
}

export type SigninsRepository = ReturnType<typeof createSigninsRepository>;
