/**
 * BullMQ, loaded on first use: the outbox's queue and worker are created after the bot has begun
 * taking updates, so the library's load is not paid before the first getUpdates.
 */
import type * as BullMQ from "bullmq";

let loading: Promise<typeof BullMQ> | undefined;

export function bullmq(): Promise<typeof BullMQ> {
  loading ??= import("bullmq");
  return loading;
}
