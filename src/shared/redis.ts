import { Cluster, Redis as SingleRedis, type ClusterOptions, type RedisOptions } from "ioredis";
import type { Logger } from "./logger.js";
import { loadScripts } from "./redis-scripts.js";

/**
 * What every repository talks to: one Redis server or a Redis Cluster. Both share ioredis' command
 * API; in a cluster a Lua script, MULTI or pipeline must keep its keys in one slot (`src/shared/keys.ts`).
 */
export type RedisClient = SingleRedis | Cluster;
/** The name repositories import; the same as `RedisClient`. */
export type Redis = RedisClient;

/** Seed nodes of a Redis Cluster and what applies to every node (credentials, TLS). */
export interface ClusterTarget {
  nodes: { host: string; port: number }[];
  username?: string;
  password?: string;
  tls: boolean;
}

const common = {
  // RESP2 keeps replies (HGETALL, XRANGE) in the shapes our repositories read.
  protocol: 2,
  // A command issued while Redis restarts or fails over waits in the offline queue and goes out on
  // reconnect, for at most this many reconnection attempts (with the backoff below, about 25 s); then
  // it fails and leaves the queue, so it never runs after its caller gave up.
  maxRetriesPerRequest: 25,
} satisfies RedisOptions;

/** Connects to Redis (a URL) or a Redis Cluster and waits until it answers; commands issued while it is down wait (bounded) for it. */
export async function connectRedis(target: string | ClusterTarget, logger: Logger): Promise<RedisClient> {
  const redis = typeof target === "string" ? single(target, { enableAutoPipelining: true }) : cluster(target, { enableAutoPipelining: true });
  redis.on("error", (err: Error) => logger.warn({ err: { message: err.message } }, "redis connection error"));
  await redis.connect();
  await redis.ping();
  if (redis instanceof Cluster) logger.info({ masters: redis.nodes("master").length }, "redis cluster connected");
  // The scripts go on the server before the first update, and again after each reconnect (a restarted Redis has none).
  const load = () =>
    loadScripts(mastersOf(redis)).then(
      (scripts) => logger.debug({ scripts }, "redis scripts loaded"),
      (err: unknown) => logger.warn({ err: { message: (err as Error).message } }, "could not load the redis scripts; they go with their first runs"),
    );
  await load();
  redis.on("ready", () => void load());
  return redis;
}

function single(url: string, overrides: RedisOverrides = {}): SingleRedis {
  return new SingleRedis(url, {
    ...common,
    lazyConnect: true,
    // While Redis is briefly down, wait for it (bounded by maxRetriesPerRequest): an update is handled
    // late rather than failed. Button presses are answered in time by the bot's press guard.
    enableOfflineQueue: true,
    retryStrategy: (times) => Math.min(times * 100, 1000),
    ...overrides,
  });
}

function cluster(target: ClusterTarget, overrides: RedisOverrides = {}): Cluster {
  const options: ClusterOptions = {
    lazyConnect: true,
    // As for one server: while the cluster is unreachable or failing over, wait (bounded) rather than fail.
    enableOfflineQueue: true,
    clusterRetryStrategy: (times) => Math.min(times * 100, 1000),
    // A failover (CLUSTERDOWN, a master that went away) is retried for about 30 s.
    retryDelayOnClusterDown: 1000,
    retryDelayOnFailover: 1000,
    maxRedirections: 30,
    // Reads from masters: a member's press must see what the previous one wrote.
    scaleReads: "master",
    redisOptions: {
      ...common,
      username: target.username,
      password: target.password,
      ...(target.tls ? { tls: {} } : {}),
      maxRetriesPerRequest: overrides.maxRetriesPerRequest === undefined ? common.maxRetriesPerRequest : overrides.maxRetriesPerRequest,
    },
    ...(overrides.enableOfflineQueue === undefined ? {} : { enableOfflineQueue: overrides.enableOfflineQueue }),
    ...(overrides.enableAutoPipelining === undefined ? {} : { enableAutoPipelining: overrides.enableAutoPipelining }),
  };
  return new Cluster(target.nodes, options);
}

/** Options a second connection may need otherwise (BullMQ wants `maxRetriesPerRequest: null` and a queue). */
export interface RedisOverrides {
  maxRetriesPerRequest?: number | null;
  enableOfflineQueue?: boolean;
  enableAutoPipelining?: boolean;
}

/**
 * A second, unconnected client to the same Redis or Cluster (`config.redisCluster ?? redisUrl`), e.g.
 * for BullMQ. On a Cluster, BullMQ's queue prefix must be a hash tag such as `{sx-outbox}`.
 */
export function newRedisClient(target: string | ClusterTarget, overrides: RedisOverrides = {}): RedisClient {
  return typeof target === "string" ? single(target, overrides) : cluster(target, overrides);
}

/** The servers that hold the data: each master of a Cluster, or the one server. */
export function mastersOf(redis: RedisClient): SingleRedis[] {
  return redis instanceof Cluster ? redis.nodes("master") : [redis];
}

/**
 * Every key matching `pattern`, by SCAN (never KEYS); on a Cluster each master is scanned, since a
 * pattern may span slots. For rare, deliberate sweeps (a group's move), not for request paths.
 */
export async function scanKeys(redis: RedisClient, pattern: string): Promise<string[]> {
  const found = new Set<string>();
  for (const node of mastersOf(redis)) {
    let cursor = "0";
    do {
      const [next, keys] = await node.scan(cursor, "MATCH", pattern, "COUNT", 500);
      for (const key of keys) found.add(key);
      cursor = next;
    } while (cursor !== "0");
  }
  return [...found];
}

/**
 * Counts the round trips `client` makes: a command, a script, an explicit `pipeline()` or `multi()`
 * (one each, however many commands inside). Commands ioredis auto-pipelines are counted one each,
 * as their callers wait for them one by one; a script's commands inside Redis are not counted (they
 * are not round trips, unlike what `INFO commandstats` shows). For the bench and `/metrics`.
 */
export function countRoundTrips(client: RedisClient, count: (n: number) => void): void {
  // ioredis' own methods, replaced on this instance only (a counted call, then the original).
  type Batch = { exec: (...a: unknown[]) => unknown; length: number };
  type Methods = {
    sendCommand: (command: unknown, stream?: unknown, node?: unknown) => unknown;
    pipeline: (...a: unknown[]) => Batch;
    multi: (...a: unknown[]) => Batch;
  };
  const target = client as unknown as Methods;
  const send = target.sendCommand.bind(client);
  // A command with a stream is one of a batch being written (counted with its batch); without, it goes alone.
  target.sendCommand = (command, stream, node) => {
    if (stream === undefined) count(1);
    return send(command, stream, node);
  };
  const batched = (make: (...a: unknown[]) => Batch) => (...a: unknown[]) => {
    const batch = make(...a);
    if (typeof batch.exec !== "function") return batch; // multi({ pipeline: false }) sends MULTI itself
    const exec = batch.exec.bind(batch);
    batch.exec = (...e: unknown[]) => {
      // An auto-pipeline carries ioredis' "callbacks" symbol: its commands were each awaited on their own.
      const auto = Object.getOwnPropertySymbols(batch).some((s) => s.description === "callbacks");
      count(auto ? batch.length : 1);
      return exec(...e);
    };
    return batch;
  };
  target.pipeline = batched(target.pipeline.bind(client));
  target.multi = batched(target.multi.bind(client));
}
