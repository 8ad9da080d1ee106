import { Redis } from "ioredis";
import type { Logger } from "./logger.js";

export type { Redis };

/** Connects to Redis and waits until it answers; commands issued while it is down fail at once. */
export async function connectRedis(url: string, logger: Logger): Promise<Redis> {
  const redis = new Redis(url, {
    // RESP2 keeps replies (HGETALL, XRANGE) in the shapes our repositories read.
    protocol: 2,
    lazyConnect: true,
    maxRetriesPerRequest: 2,
    // While Redis is down, fail at once: the member gets "try again" now, not a spinner.
    enableOfflineQueue: false,
    retryStrategy: (times) => Math.min(times * 100, 1000),
  });
  redis.on("error", (err: Error) => logger.warn({ err: { message: err.message } }, "redis connection error"));
  await redis.connect();
  await redis.ping();
  return redis;
}
