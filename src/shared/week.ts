/**
 * Calendar maths in a group's time zone: ISO weeks (`2026-W48`, Monday first) and local days.
 * Pure; uses Intl for the zone rules, so daylight saving is handled by the platform's tz data.
 */
export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 1 = Monday … 7 = Sunday */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      weekday: "short",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

export function localParts(at: number, timeZone: string): LocalParts {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(at))) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS[parts.weekday ?? "Mon"] ?? 1,
  };
}

/** ISO week of a civil date (no time zone involved). */
export function isoWeekOfDate(year: number, month: number, day: number): { year: number; week: number } {
  const date = new Date(Date.UTC(year, month - 1, day));
  const weekday = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - weekday); // the Thursday of this week decides the year
  const weekYear = date.getUTCFullYear();
  const firstDay = Date.UTC(weekYear, 0, 1);
  const week = Math.ceil(((date.getTime() - firstDay) / 86_400_000 + 1) / 7);
  return { year: weekYear, week };
}

export function formatWeekId(year: number, week: number): string {
  return `${year}-W${String(week).padStart(2, "0")}`;
}

/** The ISO week id (`YYYY-Www`) that instant `at` falls in, in `timeZone`. */
export function weekIdAt(at: number, timeZone: string): string {
  return calendarAt(at, timeZone).weekId;
}

/** The local calendar day (`YYYY-MM-DD`) of instant `at` in `timeZone`. */
export function dayIdAt(at: number, timeZone: string): string {
  return calendarAt(at, timeZone).dayId;
}

function calendarOf(at: number, timeZone: string): { weekId: string; dayId: string } {
  const p = localParts(at, timeZone);
  const w = isoWeekOfDate(p.year, p.month, p.day);
  return { weekId: formatWeekId(w.year, w.week), dayId: `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}` };
}

/*
 * A storm's presses all fall in the same quarter hour: its week and day are worked out once per zone.
 * Zone offsets and their changes are whole quarter hours, so a quarter hour (UTC-aligned) whose first and
 * last millisecond fall on the same local day lies wholly in it; one that crosses midnight is not kept.
 */
const QUARTER_HOUR_MS = 15 * 60_000;
const lastQuarter = new Map<string, { quarter: number; weekId: string; dayId: string }>();

/** The ISO week and the local day of instant `at` in `timeZone` (what a ledger entry is filed under). */
export function calendarAt(at: number, timeZone: string): { weekId: string; dayId: string } {
  const quarter = Math.floor(at / QUARTER_HOUR_MS);
  const kept = lastQuarter.get(timeZone);
  if (kept?.quarter === quarter) return kept;
  const first = calendarOf(quarter * QUARTER_HOUR_MS, timeZone);
  if (first.dayId !== calendarOf((quarter + 1) * QUARTER_HOUR_MS - 1, timeZone).dayId) return calendarOf(at, timeZone);
  const entry = { quarter, ...first };
  if (lastQuarter.size > 1000) lastQuarter.clear(); // zones are few; this only bounds a misuse
  lastQuarter.set(timeZone, entry);
  return entry;
}

export function parseWeekId(id: string): { year: number; week: number } | null {
  const m = /^(\d{4})-W(\d{2})$/.exec(id);
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  const last = isoWeekOfDate(year, 12, 28).week; // 28 December is always in the year's last week
  return week >= 1 && week <= last ? { year, week } : null;
}

/** Civil date of the Monday of an ISO week. */
export function mondayOf(year: number, week: number): { year: number; month: number; day: number } {
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const monday = new Date(jan4.getTime() - ((jan4.getUTCDay() || 7) - 1) * 86_400_000);
  monday.setUTCDate(monday.getUTCDate() + (week - 1) * 7);
  return { year: monday.getUTCFullYear(), month: monday.getUTCMonth() + 1, day: monday.getUTCDate() };
}

/** The instant a local wall-clock time happens in `timeZone` (the earlier one in a DST overlap). */
export function zonedTimeToUtc(
  civil: { year: number; month: number; day: number; hour?: number; minute?: number },
  timeZone: string,
): number {
  const guess = Date.UTC(civil.year, civil.month - 1, civil.day, civil.hour ?? 0, civil.minute ?? 0);
  let at = guess;
  for (let i = 0; i < 3; i++) {
    const p = localParts(at, timeZone);
    const seen = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    const diff = guess - seen;
    if (diff === 0) break;
    at += diff;
  }
  return at;
}

/** Start (inclusive) and end (exclusive) instants of an ISO week in `timeZone`. */
export function weekBounds(weekId: string, timeZone: string): { start: number; end: number } {
  const parsed = parseWeekId(weekId);
  if (!parsed) throw new RangeError(`not a week id: ${weekId}`);
  const mon = mondayOf(parsed.year, parsed.week);
  const start = zonedTimeToUtc(mon, timeZone);
  const nextMon = new Date(Date.UTC(mon.year, mon.month - 1, mon.day + 7));
  const end = zonedTimeToUtc(
    { year: nextMon.getUTCFullYear(), month: nextMon.getUTCMonth() + 1, day: nextMon.getUTCDate() },
    timeZone,
  );
  return { start, end };
}

/** The week id `offset` weeks from `weekId` (negative for earlier weeks). */
export function shiftWeek(weekId: string, offset: number): string {
  const parsed = parseWeekId(weekId);
  if (!parsed) throw new RangeError(`not a week id: ${weekId}`);
  const mon = mondayOf(parsed.year, parsed.week);
  const d = new Date(Date.UTC(mon.year, mon.month - 1, mon.day + offset * 7));
  const w = isoWeekOfDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  return formatWeekId(w.year, w.week);
}
