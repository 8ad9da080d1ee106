import type { Context, MiddlewareFn } from "grammy";
import type { Update } from "grammy/types";
import type { Metrics } from "./metrics.js";
import type { UpdatesRepository } from "./updates.repository.js";

/** Updates the webhook journal already claimed (so the middleware must not claim them again). */
const preclaimed = new WeakSet<Update>();

/** Marks an update as claimed by the webhook journal before it is handed to the bot. */
export function markPreclaimed(update: Update): void {
  preclaimed.add(update);
}

/**
 * Handles each update_id at most once, whichever instance or delivery it comes through: a redelivered
 * update is dropped here, before any feature sees it. Runs first in the middleware stack.
 */
export function dedupeUpdates<C extends Context>(
  updates: UpdatesRepository,
  metrics?: Metrics,
): MiddlewareFn<C> {
  // Journalled updates (all of them, in both modes) pass straight on: no async frame of this layer per update.
  return (ctx, next) => (preclaimed.has(ctx.update) ? next() : claimed(ctx, next));
  async function claimed(ctx: C, next: () => Promise<void>): Promise<void> {
    const claim = await updates.claim(ctx.update.update_id);
    if (claim === "duplicate") {
      metrics?.duplicates.inc();
      return;
    }
    if (claim === "recovered") metrics?.recovered.inc();
    try {
      await next();
    } finally {
      // A failed update counts as handled too: replaying it would repeat whatever it did send.
      await updates.done(ctx.update.update_id).catch(() => undefined);
    }
  }
}

/** Counts and times updates by type; also tells the health check that updates are flowing. */
export function measureUpdates<C extends Context>(metrics: Metrics, onUpdate?: () => void): MiddlewareFn<C> {
  return async (ctx, next) => {
    onUpdate?.();
    const type = Object.keys(ctx.update).find((k) => k !== "update_id") ?? "unknown";
    const stop = metrics.handlerSeconds.startTimer({ type });
    metrics.inFlight.inc();
    try {
      await next();
    } finally {
      stop();
      metrics.inFlight.dec();
      metrics.updates.inc({ type });
    }
  };
}
