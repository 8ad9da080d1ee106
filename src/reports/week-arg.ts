import { parseWeekId, shiftWeek, weekIdAt } from "../shared/week.js";

export type WeekArg = { ok: true; weekId: string } | { ok: false; reason: "format" | "future" };

/** `this` (or nothing), `last`, or `YYYY-Www`, in the group's time zone; weeks not yet begun are refused. */
export function parseWeekArg(input: string, now: number, timeZone: string): WeekArg {
  const arg = input.trim().toLowerCase();
  const current = weekIdAt(now, timeZone);
  if (arg === "" || arg === "this" || arg === "本周") return { ok: true, weekId: current };
  if (arg === "last" || arg === "上周") return { ok: true, weekId: shiftWeek(current, -1) };
  const parsed = parseWeekId(arg.toUpperCase());
  if (!parsed) return { ok: false, reason: "format" };
  const weekId = arg.toUpperCase();
  if (weekId > current) return { ok: false, reason: "future" };
  return { ok: true, weekId };
}

/** A whole number of weeks in 1..52 (default 4), or null. */
export function parseWeeksCount(input: string): number | null {
  const arg = input.trim();
  if (arg === "") return 4;
  if (!/^\d{1,2}$/.test(arg)) return null;
  const n = Number(arg);
  return n >= 1 && n <= 52 ? n : null;
}

/** The `count` week ids ending with `lastWeekId`, oldest first. */
export function weeksEndingWith(lastWeekId: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => shiftWeek(lastWeekId, i - count + 1));
}
