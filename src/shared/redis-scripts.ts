import { createHash } from "node:crypto";
import type { Cluster, Redis as SingleRedis } from "ioredis";

/** RedisClient of ./redis.ts (which imports this file, so it is not imported back). */
type RedisClient = SingleRedis | Cluster;

/** What a script's keys and arguments may be (as for ioredis' `eval`). */
type Arg = string | number | Buffer;

/**
 * A Lua script declared once by the repository that owns it, and run by its SHA1 (EVALSHA) so that
 * its text crosses the wire only when the server lacks it.
 */
export interface RedisScript {
  readonly name: string;
  /** The fixed number of keys, or undefined when a caller passes a variable list of keys. */
  readonly keys: number | undefined;
  readonly sha: string;
  /**
   * Runs the script as `redis.eval(text, numKeys, ...keys, ...args)` would, on the node that serves
   * its keys (all of ONE hash tag on a Cluster).
   */
  run(redis: RedisClient, numKeys: number, ...keysAndArgs: Arg[]): Promise<unknown>;
}

/** Every declared script's text by name: what `loadScripts` puts on a server before the first update. */
const declared = new Map<string, string>();

/**
 * Declares a script. Each run sends EVALSHA; on NOSCRIPT (a server that lost its scripts: a restart, a
 * failover, SCRIPT FLUSH) it sends EVAL, which also caches the script there. The runs that meet NOSCRIPT
 * while that EVAL is out wait for it and send EVALSHA again (issue 11: in a storm just after a restart,
 * every press in flight met NOSCRIPT and each sent the whole text). The same shape as ioredis'
 * `defineCommand`, but not bound to one client object, so a repository keeps taking any `RedisClient`
 * (one server, a Cluster, or a test's stand-in).
 */
export function defineScript(name: string, keys: number | undefined, lua: string): RedisScript {
  const sha = createHash("sha1").update(lua).digest("hex");
  declared.set(name, lua);
  // The EVAL out per client, while there is one.
  const loading = new WeakMap<RedisClient, Promise<unknown>>();
  return {
    name,
    keys,
    sha,
    async run(redis, numKeys, ...keysAndArgs) {
      if (keys !== undefined && numKeys !== keys) throw new Error(`redis script ${name} takes ${keys} keys, got ${numKeys}`);
      try {
        return await redis.evalsha(sha, numKeys, ...keysAndArgs);
      } catch (err) {
        if (!isNoScript(err)) throw err;
      }
      const pending = loading.get(redis);
      if (pending) {
        await pending.catch(() => undefined);
        try {
          return await redis.evalsha(sha, numKeys, ...keysAndArgs);
        } catch (err) {
          // Another node of a cluster (or flushed again): this run sends the text itself.
          if (!isNoScript(err)) throw err;
        }
      }
      // EVAL runs the script and caches it on that server, so the next run's EVALSHA finds it.
      const evaluated = redis.eval(lua, numKeys, ...keysAndArgs);
      loading.set(redis, evaluated);
      try {
        return await evaluated;
      } finally {
        if (loading.get(redis) === evaluated) loading.delete(redis);
      }
    },
  };
}

/**
 * Puts every declared script on the servers (`mastersOf` a client) with SCRIPT LOAD, one pipeline per
 * server: the first presses after a start or a Redis restart find their scripts instead of meeting NOSCRIPT.
 * Returns how many scripts each server was given.
 */
export async function loadScripts(nodes: readonly SingleRedis[]): Promise<number> {
  const texts = [...declared.values()];
  await Promise.all(
    nodes.map(async (node) => {
      const batch = node.pipeline();
      for (const lua of texts) batch.script("LOAD", lua);
      const replies = (await batch.exec()) ?? [];
      const failed = replies.find(([err]) => err);
      if (failed) throw failed[0] as Error;
    }),
  );
  return texts.length;
}

function isNoScript(err: unknown): boolean {
  return err instanceof Error && err.message.startsWith("NOSCRIPT");
}
