import type { StorageAdapter } from "grammy";
import { RedisAdapter } from "@grammyjs/storage-redis";
import type { Redis as SingleRedis } from "ioredis";
import type { RedisClient } from "./redis.js";

/**
 * grammY session storage: `@grammyjs/storage-redis` over our client, one Redis or a Cluster alike.
 * The adapter is typed for a single-server client but calls only GET, SET … EX and DEL on one key,
 * which a Cluster client answers the same way.
 */
export function redisSessionStorage<T>(redis: RedisClient, ttlSeconds: number): StorageAdapter<T> {
  return new RedisAdapter<T>({ instance: redis as SingleRedis, ttl: ttlSeconds });
}
