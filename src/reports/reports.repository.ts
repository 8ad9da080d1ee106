import type { Redis } from "../shared/redis.js";
import { groupKey } from "../shared/keys.js";
import { createHandoffStore } from "../shared/private-handoff.js";

const DELIVERY_TTL_MS = 60 * 24 * 3600 * 1000; // long past any retry of the same week
/** How long an /export waits for its organiser to press Start in the private chat. */
export const PENDING_EXPORT_TTL_MS = 24 * 3600 * 1000;

export function createReportsRepository(redis: Redis) {
  const delivery = (groupId: number, weekId: string, userId: number) => groupKey(groupId, "reports", "sent", weekId, userId);
  // Keyed by the organiser who asked: nobody else's Start can take it.
  const pendingExport = (groupId: number, userId: number) => groupKey(groupId, "reports", "export", userId);
  const handoff = createHandoffStore(redis);
  return {
    /**
     * True for exactly one owner per group, week and organiser, across instances and restarts; with `resume`,
     * also for the owner that already holds it (an outbox job retried after a crash carries on).
     */
    async claimDelivery(groupId: number, weekId: string, userId: number, owner: string, resume = false): Promise<boolean> {
      const key = delivery(groupId, weekId, userId);
      if ((await redis.set(key, owner, "PX", DELIVERY_TTL_MS, "NX")) === "OK") return true;
      return resume && (await redis.get(key)) === owner;
    },

    /** Gives a claim back after the report could not be sent, so a later run may try again. */
    async releaseDelivery(groupId: number, weekId: string, userId: number): Promise<void> {
      await redis.del(delivery(groupId, weekId, userId));
    },

    /** An /export that could not go privately yet: `weeks` kept for the organiser until they press Start. */
    async savePendingExport(groupId: number, userId: number, weeks: number): Promise<void> {
      await handoff.keep(pendingExport(groupId, userId), String(weeks), PENDING_EXPORT_TTL_MS);
    },

    /** Takes the organiser's pending export once (a double Start sends it once): its weeks, or undefined. */
    async takePendingExport(groupId: number, userId: number): Promise<number | undefined> {
      const raw = await handoff.take(pendingExport(groupId, userId));
      return raw === undefined ? undefined : Number(raw);
    },
  };
}

export type ReportsRepository = ReturnType<typeof createReportsRepository>;
