import { z } from "zod";
import { cronProblem } from "./cron-check.js";
import { TRACKS } from "./types.js";
import { DEFAULT_SCHEDULE } from "./default-schedule.js";

export const SCHEDULE_KEYS = [
  "lessons",
  "quiz_after_minutes",
  "signin_with_lesson",
  "signin_late_after",
  "question_reminder_hours",
  "weekly_report",
  "elective_tracks",
] as const;
export const SCHEDULE_ENTRY_KEYS = ["track", "cron"] as const;

export { DEFAULT_SCHEDULE };

const cronSchema = z.string().superRefine((expression, ctx) => {
  const message = cronProblem(expression);
  if (message) ctx.addIssue({ code: "custom", message });
});

const minutes = z.int().nonnegative();

export const scheduleSchema = z.strictObject({
  lessons: z
    .array(z.strictObject({ track: z.enum(TRACKS), cron: cronSchema }))
    .min(1)
    .default(DEFAULT_SCHEDULE.lessons.map((entry) => ({ ...entry }))),
  quiz_after_minutes: minutes.default(DEFAULT_SCHEDULE.quiz_after_minutes),
  signin_with_lesson: minutes.default(DEFAULT_SCHEDULE.signin_with_lesson),
  signin_late_after: minutes.default(DEFAULT_SCHEDULE.signin_late_after),
  question_reminder_hours: minutes.default(DEFAULT_SCHEDULE.question_reminder_hours),
  weekly_report: cronSchema.default(DEFAULT_SCHEDULE.weekly_report),
  /** Tracks a group's needs survey reorders for that group; [] for none. */
  elective_tracks: z.array(z.enum(TRACKS)).default(["technology"]),
});

export const SCHEDULE_HINTS = {
  track: `one of ${TRACKS.join(", ")}`,
  elective_tracks: `a list of tracks a needs survey may reorder, e.g. elective_tracks: [technology]; [] for none`,
  cron: 'e.g. cron: "0 20 * * 1" for Mondays at 20:00',
};
