import type { StorageAdapter } from "grammy";
import type { RedisClient } from "./redis.js";

/**
 * grammY session storage over our Redis client, one Redis or a Cluster alike (the
 * `@grammyjs/storage-redis` adapter accepts only a single-server client). One key per session, so
 * every command touches one slot.
 */
export function redisSessionStorage<T>(redis: RedisClient, ttlSeconds: number): StorageAdapter<T> {
  return {
    async read(key) {
      const raw = await redis.get(key);
      return raw === null ? undefined : (JSON.parse(raw) as T);
    },
    async write(key, value) {
      await redis.set(key, JSON.stringify(value), "EX", ttlSeconds);
    },
    async delete(key) {
      await redis.del(key);
    },
  };
}
