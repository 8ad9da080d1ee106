import { dayIdAt, zonedTimeToUtc } from "../shared/week.js";

/** `20:30`, `8:05` or `20：30` (a Chinese keyboard's colon) → hour and minute; undefined for anything else. */
export function parseClockTime(text: string): { hour: number; minute: number } | undefined {
  const m = /^([01]?\d|2[0-3])[:：]([0-5]\d)$/.exec(text.trim());
  return m ? { hour: Number(m[1]), minute: Number(m[2]) } : undefined;
}

export const formatClockTime = (t: { hour: number; minute: number }): string =>
  `${String(t.hour).padStart(2, "0")}:${String(t.minute).padStart(2, "0")}`;

const civilDay = (at: number, timeZone: string) => {
  const [year, month, day] = dayIdAt(at, timeZone).split("-").map(Number) as [number, number, number];
  return { year, month, day };
};

/** The instant the local day after the one of `at` begins: what "due today" counts up to. */
export function endOfLocalDay(at: number, timeZone: string): number {
  const d = civilDay(at, timeZone);
  return zonedTimeToUtc({ ...d, day: d.day + 1 }, timeZone);
}

/** The local day before the one of `at` (`YYYY-MM-DD`): a streak goes on from it. */
export function previousDayId(at: number, timeZone: string): string {
  const d = civilDay(at, timeZone);
  return dayIdAt(zonedTimeToUtc(d, timeZone) - 1, timeZone);
}

/** The next instant after `now` when the local clock in `timeZone` shows `time` (today's, or tomorrow's). */
export function nextDailyAt(time: { hour: number; minute: number }, timeZone: string, now: number): number {
  const d = civilDay(now, timeZone);
  for (let offset = 0; offset < 3; offset++) {
    const at = zonedTimeToUtc({ ...d, day: d.day + offset, ...time }, timeZone);
    if (at > now) return at;
  }
  throw new RangeError(`no ${formatClockTime(time)} in ${timeZone} after ${new Date(now).toISOString()}`);
}
