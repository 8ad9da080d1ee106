import type { Redis } from "../shared/redis.js";
import { groupKey } from "../shared/keys.js";

const DELIVERY_TTL_MS = 60 * 24 * 3600 * 1000; // long past any retry of the same week

export function createReportsRepository(redis: Redis) {
  const delivery = (groupId: number, weekId: string, userId: number) => groupKey(groupId, "reports", "sent", weekId, userId);
  return {
    /** True for exactly one caller per group, week and organiser, across instances and restarts. */
    async claimDelivery(groupId: number, weekId: string, userId: number, owner: string): Promise<boolean> {
      return (await redis.set(delivery(groupId, weekId, userId), owner, "PX", DELIVERY_TTL_MS, "NX")) === "OK";
    },

    /** Gives a claim back after the report could not be sent, so a later run may try again. */
    async releaseDelivery(groupId: number, weekId: string, userId: number): Promise<void> {
      await redis.del(delivery(groupId, weekId, userId));
    },
  };
}

export type ReportsRepository = ReturnType<typeof createReportsRepository>;
