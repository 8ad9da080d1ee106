import { CronExpressionParser } from "cron-parser";

/**
 * "Which slot is due at time T": pure maths over cron expressions in a time zone, apart from
 * the clock tick that asks it.
 */

/** The latest instant ≤ `now` that `cron` fires at in `timeZone`, or null if none in the past year. */
export function computeLatestSlot(cron: string, timeZone: string, now: number): number | null {
  // prev() is strictly before currentDate, and works in whole seconds: step one second past now.
  const expr = CronExpressionParser.parse(cron, { currentDate: new Date(now + 1000), tz: timeZone });
  for (let i = 0; i < 3; i++) {
    const at = expr.prev().getTime();
    if (at <= now) return at;
  }
  return null;
}

/*
 * Every group on the default schedule asks the same question on every tick, and one answer costs
 * milliseconds of CPU (cron-parser in a time zone): with hundreds of groups the tick blocked the
 * event loop for seconds. The latest slot stays the same from one firing to the next, so each
 * (cron, zone) answer is kept for that span (re-checked at least once a minute).
 */
const RECHECK_MS = 60_000;
const MAX_CACHED = 2000;
const latest = new Map<string, { at: number | null; from: number; until: number; next: number }>();

function remembered(cron: string, timeZone: string, now: number): { at: number | null; next: number } {
  const key = `${timeZone}\u0000${cron}`;
  const hit = latest.get(key);
  if (hit && now >= hit.from && now < hit.until) return hit;
  const at = computeLatestSlot(cron, timeZone, now);
  const next = nextSlot(cron, timeZone, now);
  if (latest.size >= MAX_CACHED) latest.clear();
  const entry = { at, next, from: at ?? now, until: Math.min(next, now + RECHECK_MS) };
  latest.set(key, entry);
  return entry;
}

/** `computeLatestSlot`, remembered per cron and time zone until the next firing. */
export function latestSlot(cron: string, timeZone: string, now: number): number | null {
  return remembered(cron, timeZone, now).at;
}

/** `nextSlot`, from the same memory: every group on one schedule shares one computation. */
export function nextSlotRemembered(cron: string, timeZone: string, now: number): number {
  return remembered(cron, timeZone, now).next;
}

/** The next instant > `now` that `cron` fires at in `timeZone`. */
export function nextSlot(cron: string, timeZone: string, now: number): number {
  return CronExpressionParser.parse(cron, { currentDate: new Date(now), tz: timeZone }).next().getTime();
}

/** The next instant > `now` of `cron` in the machine's time zone: the scheduler's own tick. */
export function nextTick(cron: string, now: number): number {
  return CronExpressionParser.parse(cron, { currentDate: new Date(now) }).next().getTime();
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
