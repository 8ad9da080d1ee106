import { TRACKS } from "../content/types.js";
import { escapeHtml } from "../content/index.js";
import type { GroupInfo } from "../groups/index.js";
import type { SlotMaths } from "../schedule/index.js";
import { localParts } from "../shared/week.js";
import { clockTime, describeCron, type T } from "./cron-words.js";

/** An instant as a local date and time in the group's zone, e.g. "6月1日（周一）20:00". */
export function localDateTime(t: T, at: number, timeZone: string): string {
  const p = localParts(at, timeZone);
  return t("settings-datetime", { month: p.month, day: p.day, weekday: t(`settings-weekday-${p.weekday}`), time: clockTime(p.hour, p.minute) });
}

function next({ nextSlot }: SlotMaths, cron: string, timeZone: string, now: number): number | undefined {
  try {
    return nextSlot(cron, timeZone, now);
  } catch {
    return undefined; // a broken cron is shown as written; the scheduler logs it
  }
}

/** The group's schedule in plain words in its language and time zone, with each track's next push. */
export function scheduleText(t: T, group: GroupInfo, now: number, maths: SlotMaths): string {
  const { schedule, timeZone } = group;
  const lines = [t("settings-schedule-title", { tz: escapeHtml(timeZone) }), ""];
  for (const track of TRACKS) {
    const name = t(`lessons-track-${track}`);
    if (group.tracksOff.includes(track)) {
      lines.push(t("settings-schedule-off", { track: name }));
      continue;
    }
    const entries = schedule.lessons.filter((e) => e.track === track);
    if (entries.length === 0) lines.push(t("settings-schedule-none", { track: name }));
    for (const entry of entries) {
      lines.push(t("settings-schedule-line", { track: name, when: escapeHtml(describeCron(t, entry.cron)) }));
      const at = next(maths, entry.cron, timeZone, now);
      if (at !== undefined) lines.push(t("settings-schedule-next", { at: localDateTime(t, at, timeZone) }));
    }
  }
  lines.push("");
  lines.push(
    schedule.quiz_after_minutes > 0
      ? t("settings-schedule-quiz", { minutes: schedule.quiz_after_minutes })
      : t("settings-schedule-quiz-off"),
  );
  lines.push(
    schedule.signin_with_lesson > 0
      ? t("settings-schedule-signin", { minutes: schedule.signin_with_lesson })
      : t("settings-schedule-signin-off"),
  );
  lines.push(t("settings-schedule-report", { when: escapeHtml(describeCron(t, schedule.weekly_report)) }));
  return lines.join("\n");
}
