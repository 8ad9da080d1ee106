import { CronExpressionParser } from "cron-parser";

/**
 * "Which slot is due at time T": pure maths over cron expressions in a time zone, apart from
 * the clock tick that asks it.
 */

/** The latest instant ≤ `now` that `cron` fires at in `timeZone`, or null if none in the past year. */
export function latestSlot(cron: string, timeZone: string, now: number): number | null {
  // prev() is strictly before currentDate, and works in whole seconds: step one second past now.
  const expr = CronExpressionParser.parse(cron, { currentDate: new Date(now + 1000), tz: timeZone });
  for (let i = 0; i < 3; i++) {
    const at = expr.prev().getTime();
    if (at <= now) return at;
  }
  return null;
}

/** The next instant > `now` that `cron` fires at in `timeZone`. */
export function nextSlot(cron: string, timeZone: string, now: number): number {
  return CronExpressionParser.parse(cron, { currentDate: new Date(now), tz: timeZone }).next().getTime();
}

export interface DueQuery {
  cron: string;
  timeZone: string;
  now: number;
  /** Slots before this instant never count (the group joined, or its schedule changed, later). */
  notBefore: number;
  /** How long after its time a missed slot may still be sent. */
  graceMs: number;
}

/**
 * The slot due now, if any: the latest slot not in the future, no older than the grace window
 * and not before `notBefore`. Called on every tick; exactly-once is the caller's claim, not ours.
 */
export function dueSlot(q: DueQuery): number | null {
  const at = latestSlot(q.cron, q.timeZone, q.now);
  if (at === null) return null;
  if (at < q.notBefore || at < q.now - q.graceMs) return null;
  return at;
}
