import type { Redis } from "../shared/redis.js";
import { defineScript } from "../shared/redis-scripts.js";
import { globalKey, groupKey } from "../shared/keys.js";
import { scanKeys } from "../shared/redis.js";

/** Old group id → the supergroup it became; written last, so it also says "this move is done". */
const MOVED = globalKey("groups", "moved");
const LOCK_MS = 120_000;

/** The move's own bookkeeping under the old group's tag; never copied, deleted at the end. */
const moveKey = (from: number, ...parts: string[]) => groupKey(from, "move", ...parts);
const isBookkeeping = (from: number, key: string) => key.startsWith(`${moveKey(from)}:`);

const RELEASE = defineScript("group-move.release", 1, `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

/**
 * Moves every key of a group's hash tag `{g<from>}` to `{g<to>}`. On a Cluster those are two slots,
 * so nothing here is atomic: each step is idempotent and progress is recorded, so a crashed move
 * is resumed by the next attempt (a key copied once is not copied again over newer writes).
 */
export function createGroupMoveRepository(redis: Redis) {
  const rename = (from: number, to: number, key: string) => groupKey(to) + key.slice(groupKey(from).length);

  return {
    movedTo: async (from: number): Promise<number | undefined> => {
      const raw = await redis.hget(MOVED, String(from));
      return raw === null ? undefined : Number(raw);
    },

    markMoved: async (from: number, to: number): Promise<void> => {
      await redis.hset(MOVED, String(from), String(to));
    },

    /** One mover per group at a time (across instances); returns the token to release with. */
    lock: async (from: number): Promise<string | undefined> => {
      const token = `${process.pid}-${Math.random().toString(36).slice(2)}`;
      return (await redis.set(moveKey(from, "lock"), token, "PX", LOCK_MS, "NX")) === "OK" ? token : undefined;
    },

    unlock: async (from: number, token: string): Promise<void> => {
      await RELEASE.run(redis, 1, moveKey(from, "lock"), token);
    },

    /** Copies each key (value and time to live, any type) that an earlier attempt has not copied. */
    async copyKeys(from: number, to: number): Promise<number> {
      const done = moveKey(from, "copied");
      const copied = new Set(await redis.smembers(done));
      let count = 0;
      for (const key of await scanKeys(redis, `${groupKey(from)}:*`)) {
        if (isBookkeeping(from, key) || copied.has(key)) continue;
        const [dump, pttl] = await Promise.all([redis.dumpBuffer(key), redis.pttl(key)]);
        if (dump === null || pttl === -2) continue; // expired meanwhile
        await redis.restore(rename(from, to, key), pttl > 0 ? pttl : 0, dump, "REPLACE");
        await redis.sadd(done, key);
        count++;
      }
      return count;
    },

    /** Deletes the old group's keys, bookkeeping last. */
    async dropKeys(from: number): Promise<void> {
      const keys = await scanKeys(redis, `${groupKey(from)}:*`);
      for (const key of keys) if (!isBookkeeping(from, key)) await redis.del(key);
      await redis.del(moveKey(from, "copied"));
    },
  };
}

export type GroupMoveRepository = ReturnType<typeof createGroupMoveRepository>;
