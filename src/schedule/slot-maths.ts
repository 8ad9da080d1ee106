/**
 * The cron maths (due-slots.ts: cron-parser and luxon under it, ~150 KiB of source) load on first use, after the
 * bot polls: the scheduler's first tick or a /schedule view, not start-up.
 */
import type * as DueSlots from "./due-slots.js";

export type SlotMaths = typeof DueSlots;

let loaded: Promise<SlotMaths> | undefined;

export function loadSlotMaths(): Promise<SlotMaths> {
  return (loaded ??= import("./due-slots.js"));
}
