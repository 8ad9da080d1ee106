import { createHash } from "node:crypto";
import type { RedisClient } from "./redis.js";

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

/**
 * Declares a script. Each run sends EVALSHA; on NOSCRIPT (first use on a server or a cluster node,
 * after SCRIPT FLUSH, after a restart) it sends EVAL once, which also caches the script there.
 * The same shape as ioredis' `defineCommand`, but not bound to one client object, so a repository
 * keeps taking any `RedisClient` (one server, a Cluster, or a test's stand-in).
 */
export function defineScript(name: string, keys: number | undefined, lua: string): RedisScript {
  const sha = createHash("sha1").update(lua).digest("hex");
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
        // EVAL runs the script and caches it on that server, so the next run's EVALSHA finds it.
        return await redis.eval(lua, numKeys, ...keysAndArgs);
      }
    },
  };
}

function isNoScript(err: unknown): boolean {
  return err instanceof Error && err.message.startsWith("NOSCRIPT");
}
