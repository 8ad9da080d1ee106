import type { Redis } from "../shared/redis.js";
import { defineScript } from "../shared/redis-scripts.js";
import { globalKey } from "../shared/keys.js";

/**
 * Which updates were handled, and the journal of accepted webhook updates. All keys share the hash
 * tag `{upd}` so the scripts below stay on one Redis Cluster slot.
 *
 * - `seen:<update_id>` (one day): the instance handling the update, then `done`;
 * - `alive:<instance>` (15 s, refreshed every 5 s): instances that are running;
 * - `journal` (stream): webhook updates accepted (answered 200) and not yet handled to the end.
 */
const tag = "{upd}";
const seenKey = (updateId: number) => globalKey(tag, "seen", updateId);
const SEEN_PREFIX = globalKey(tag, "seen") + ":";
const ALIVE_PREFIX = globalKey(tag, "alive") + ":";
const JOURNAL = globalKey(tag, "journal");

export const SEEN_TTL_SECONDS = 24 * 3600;
export const ALIVE_TTL_SECONDS = 15;

// New: claim it. Done, or held by a live instance: a duplicate. Held by an instance that is gone (it
// crashed while handling, and Telegram redelivered because the offset was never confirmed): take over.
const CLAIM = defineScript("updates.claim", 1, `
local v = redis.call('GET', KEYS[1])
if not v then redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) return 1 end
if v == 'done' or v == ARGV[1] then return 0 end
if redis.call('EXISTS', ARGV[3] .. v) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 2`);

// A webhook update is claimed and journaled in one step; the 200 goes out only after this.
const ACCEPT = defineScript("updates.accept", 2, `
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2]) then return false end
return redis.call('XADD', KEYS[2], '*', 'id', ARGV[3], 'by', ARGV[1], 'u', ARGV[4])`);

// A polled batch, each update as ACCEPT does it, in one call (issue 11: one round trip per batch, not per update).
// KEYS: the seen keys, then the journal; ARGV: instance, ttl, then update_id and JSON per update. Returns the
// entry id per update, or 0 for a duplicate (a nil would cut Lua's list short).
const ACCEPT_MANY = defineScript("updates.acceptMany", undefined, `
local out, n = {}, #KEYS - 1
for i = 1, n do
  if redis.call('SET', KEYS[i], ARGV[1], 'NX', 'EX', ARGV[2]) then
    out[i] = redis.call('XADD', KEYS[n + 1], '*', 'id', ARGV[1 + 2 * i], 'by', ARGV[1], 'u', ARGV[2 + 2 * i])
  else
    out[i] = 0
  end
end
return out`);

// Journal entries older than the cutoff whose instance is gone: re-journal them under this instance
// (so a second crash does not lose them either) and return [entryId, json, 0, ...]. This instance's own
// entries older than ARGV[6] come back as they are, [entryId, json, 1]: the caller hands over those it does
// not hold (an accept whose answer was lost, so the retry found its update already seen).
const RECOVER = defineScript("updates.recover", 1, `
local out = {}
for _, e in ipairs(redis.call('XRANGE', KEYS[1], '-', ARGV[3], 'COUNT', 100)) do
  local f, by, u, id = e[2]
  for i = 1, #f, 2 do
    if f[i] == 'by' then by = f[i + 1] elseif f[i] == 'u' then u = f[i + 1] elseif f[i] == 'id' then id = f[i + 1] end
  end
  if by == ARGV[1] then
    if tonumber(string.match(e[1], '^%d+')) <= tonumber(ARGV[6]) then
      out[#out + 1] = e[1]
      out[#out + 1] = u
      out[#out + 1] = 1
    end
  elseif redis.call('EXISTS', ARGV[2] .. by) == 0 then
    redis.call('XDEL', KEYS[1], e[1])
    local nid = redis.call('XADD', KEYS[1], '*', 'id', id, 'by', ARGV[1], 'u', u)
    redis.call('SET', ARGV[4] .. id, ARGV[1], 'EX', ARGV[5])
    out[#out + 1] = nid
    out[#out + 1] = u
    out[#out + 1] = 0
  end
end
return out`);

export type Claim = "new" | "recovered" | "duplicate";

export function createUpdatesRepository(redis: Redis, instanceId: string) {
  // Entries settled in the same turn of the event loop leave the journal in one XDEL (a storm's batch
  // finishes together). A crash before it is sent leaves them journalled: handled again, never lost.
  let settling: { ids: string[]; sent: Promise<void> } | undefined;
  const settleSoon = (entryId: string): Promise<void> => {
    if (!settling) {
      const batch: { ids: string[]; sent: Promise<void> } = { ids: [], sent: Promise.resolve() };
      batch.sent = new Promise<void>((r) => setImmediate(r)).then(async () => {
        if (settling === batch) settling = undefined;
        await redis.xdel(JOURNAL, ...batch.ids);
      });
      settling = batch;
    }
    settling.ids.push(entryId);
    return settling.sent;
  };
  return {
    /** Claims an update for this instance (polling, and any update that did not come through the journal). */
    async claim(updateId: number): Promise<Claim> {
      const r = Number(await CLAIM.run(redis, 1, seenKey(updateId), instanceId, SEEN_TTL_SECONDS, ALIVE_PREFIX));
      return r === 1 ? "new" : r === 2 ? "recovered" : "duplicate";
    },

    /** Marks a claimed update handled, so a redelivery is a duplicate even after this instance stops. */
    async done(updateId: number): Promise<void> {
      await redis.set(seenKey(updateId), "done", "EX", SEEN_TTL_SECONDS);
    },

    /** Claims and journals a webhook update; the journal entry id, or null for a duplicate. */
    async accept(updateId: number, json: string): Promise<string | null> {
      const r = await ACCEPT.run(redis, 2, seenKey(updateId), JOURNAL, instanceId, SEEN_TTL_SECONDS, updateId, json);
      return typeof r === "string" ? r : null;
    },

    /** Claims and journals a polled batch in one script; per update, as `accept`: its entry id, or null for a duplicate. */
    async acceptMany(batch: readonly { updateId: number; json: string }[]): Promise<(string | null)[]> {
      if (batch.length === 0) return [];
      const keys = batch.map((u) => seenKey(u.updateId));
      const args = batch.flatMap((u) => [u.updateId, u.json]);
      const r = (await ACCEPT_MANY.run(redis, keys.length + 1, ...keys, JOURNAL, instanceId, SEEN_TTL_SECONDS, ...args)) as unknown[];
      return batch.map((_, i) => (typeof r[i] === "string" ? (r[i] as string) : null));
    },

    /** Removes a journal entry once its update was handled (or failed for good); with the others settled in this turn. */
    settle(entryId: string): Promise<void> {
      return settleSoon(entryId);
    },

    /**
     * Takes over journal entries of instances that are gone and older than `olderThanMs`; also returns this instance's
     * own entries older than `ownOlderThanMs` (`own`), which it may be holding still: the caller knows.
     */
    async recover(olderThanMs: number, now = Date.now(), ownOlderThanMs = olderThanMs): Promise<{ entryId: string; json: string; own: boolean }[]> {
      const cutoff = String(Math.max(0, now - olderThanMs));
      const ownCutoff = String(Math.max(0, now - Math.max(olderThanMs, ownOlderThanMs)));
      const r = (await RECOVER.run(redis, 1, JOURNAL, instanceId, ALIVE_PREFIX, cutoff, SEEN_PREFIX, SEEN_TTL_SECONDS, ownCutoff)) as (string | number)[];
      const out: { entryId: string; json: string; own: boolean }[] = [];
      for (let i = 0; i + 2 < r.length; i += 3) out.push({ entryId: String(r[i]), json: String(r[i + 1]), own: r[i + 2] === 1 });
      return out;
    },

    /** Says this instance is alive (for ALIVE_TTL_SECONDS). */
    async heartbeat(): Promise<void> {
      await redis.set(ALIVE_PREFIX + instanceId, String(Date.now()), "EX", ALIVE_TTL_SECONDS);
    },

    /** On a clean stop: nothing of ours is in flight any more. */
    async retire(): Promise<void> {
      await redis.del(ALIVE_PREFIX + instanceId);
    },

    /** Whether Redis is connected now (a journal write would go out at once instead of waiting in a queue). */
    available(): boolean {
      return redis.status === "ready";
    },

    async journalLength(): Promise<number> {
      return redis.xlen(JOURNAL);
    },
  };
}

export type UpdatesRepository = ReturnType<typeof createUpdatesRepository>;
