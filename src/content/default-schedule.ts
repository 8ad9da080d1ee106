import type { Schedule } from "./types.js";

/** The schedule of a content folder without `schedule.yaml` (PRODUCT.md, "Content"); apart from its zod schema, which loads only with the content. */
export const DEFAULT_SCHEDULE: Schedule = {
  lessons: [
    { track: "constitution", cron: "0 20 * * 1" },
    { track: "policy", cron: "0 20 * * 3" },
    { track: "technology", cron: "0 20 * * 5" },
  ],
  quiz_after_minutes: 60,
  signin_with_lesson: 120,
  signin_late_after: 10,
  question_reminder_hours: 24,
  weekly_report: "0 8 * * 1",
  elective_tracks: ["technology"],
};
