/**
 * Cron expressions ↔ plain words for organisers. Only the shapes organisers actually use
 * (`M H * * D`) get words; anything else is shown as the expression itself, never guessed at.
 */

/** Translation bound to one locale, as `ctx.t` is. */
export type T = (key: string, vars?: Record<string, string | number>) => string;

export interface WeeklyShape {
  /** ISO weekdays, 1 = Monday … 7 = Sunday, sorted, unique. */
  days: number[];
  hour: number;
  minute: number;
}

const DAY_NAMES: Record<string, number> = { sun: 7, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

function dayOf(token: string): number | null {
  const lower = token.toLowerCase();
  if (lower in DAY_NAMES) return DAY_NAMES[lower] ?? null;
  if (!/^\d$/.test(token)) return null;
  const n = Number(token);
  if (n > 7) return null;
  return n === 0 ? 7 : n;
}

function expandDays(field: string): number[] | null {
  if (field === "*" || field === "?") return [1, 2, 3, 4, 5, 6, 7];
  const out = new Set<number>();
  for (const item of field.split(",")) {
    const range = /^([a-z0-9]+)-([a-z0-9]+)$/i.exec(item);
    if (range) {
      // cron ranges count Sunday as 0: "0-2" is Sun, Mon, Tue; "5-7" is Fri, Sat, Sun
      const from = dayOf(range[1] ?? "");
      const rawTo = dayOf(range[2] ?? "");
      if (from === null || rawTo === null) return null;
      const start = range[1] === "0" || range[1]?.toLowerCase() === "sun" ? 0 : from;
      if (rawTo < start) return null;
      for (let d = start; d <= rawTo; d++) out.add(d === 0 ? 7 : d);
      continue;
    }
    const day = dayOf(item);
    if (day === null) return null;
    out.add(day);
  }
  return [...out].sort((a, b) => a - b);
}

function whole(field: string | undefined, max: number): number | null {
  if (!field || !/^\d{1,2}$/.test(field)) return null;
  const n = Number(field);
  return n <= max ? n : null;
}

/** The weekly shape of `cron`, or null when it is something more exotic. */
export function parseWeekly(cron: string): WeeklyShape | null {
  let fields = cron.trim().split(/\s+/);
  if (fields.length === 6) {
    if (fields[0] !== "0") return null;
    fields = fields.slice(1);
  }
  if (fields.length !== 5) return null;
  const [m, h, dom, mon, dow] = fields;
  const minute = whole(m, 59);
  const hour = whole(h, 23);
  if (minute === null || hour === null || dom !== "*" || mon !== "*" || !dow) return null;
  const days = expandDays(dow);
  return days && days.length > 0 ? { days, hour, minute } : null;
}

/** The stored form of a weekly time: `M H * * D`, Sunday as 0. */
export function weeklyCron(shape: WeeklyShape): string {
  const days = [...new Set(shape.days)].sort((a, b) => a - b);
  const dow = days.length === 7 ? "*" : days.map((d) => (d === 7 ? 0 : d)).sort((a, b) => a - b).join(",");
  return `${shape.minute} ${shape.hour} * * ${dow}`;
}

export function clockTime(hour: number, minute: number): string {
  return `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
}

/** Weekday names joined the way the locale joins a list ("周一、周三" / "Monday and Wednesday"). */
export function dayList(t: T, days: number[]): string {
  const names = days.map((d) => t(`settings-weekday-${d}`));
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(t("settings-cron-day-sep"))}${t("settings-cron-day-last-sep")}${names.at(-1) ?? ""}`;
}

function isRun(days: number[]): boolean {
  return days.every((d, i) => i === 0 || d === (days[i - 1] ?? 0) + 1);
}

/** A cron expression in plain words in the locale of `t`, e.g. "每周一 20:00" / "every Monday at 20:00". */
export function describeCron(t: T, cron: string): string {
  const shape = parseWeekly(cron);
  if (!shape) return t("settings-cron-other", { cron: cron.trim() });
  const time = clockTime(shape.hour, shape.minute);
  const { days } = shape;
  const key = days.join(",");
  if (days.length === 7) return t("settings-cron-daily", { time });
  if (key === "1,2,3,4,5") return t("settings-cron-workdays", { time });
  if (key === "6,7") return t("settings-cron-weekends", { time });
  const first = days[0] ?? 1;
  const last = days.at(-1) ?? 1;
  if (days.length >= 3 && isRun(days)) {
    return t("settings-cron-range", { from: t(`settings-weekday-${first}`), to: t(`settings-weekday-${last}`), time });
  }
  return t("settings-cron-weekly", { days: dayList(t, days), time });
}
