/**
 * The participation counters every feature records into, summed per member and per ISO week.
 * Reports read these; the export's columns are a subset, in PRODUCT.md's order.
 */
export const COUNTERS = [
  "lessons_studied",
  "signins",
  "signins_late",
  "excused",
  "quiz_answers",
  "quiz_correct",
  "quiz_points",
  "questions_asked",
  /** Answers to /review's polls (spaced review): participation of its own kind, outside the participation index. */
  "reviews",
] as const;
export type Counter = (typeof COUNTERS)[number];

export type Increments = Partial<Record<Counter, number>>;
