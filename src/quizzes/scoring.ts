/**
 * The one rule for quiz points: 10 for a right answer, plus up to 5 for speed (the share of the
 * open period still left when the answer came, times 5, rounded). A wrong answer earns nothing, but it
 * still counts as an answer. The bonus is rounded: within the first tenth of the period it is the full 5.
 */
export const POINTS_RIGHT = 10;
export const POINTS_SPEED_MAX = 5;

export function quizPoints(correct: boolean, elapsedMs: number, openMs: number): number {
  if (!correct) return 0;
  if (openMs <= 0) return POINTS_RIGHT;
  const left = Math.min(1, Math.max(0, 1 - Math.max(0, elapsedMs) / openMs));
  return POINTS_RIGHT + Math.round(POINTS_SPEED_MAX * left);
}

/** Poll open periods, in seconds, within the Bot API's 5..600. */
export const LESSON_OPEN_SECONDS = 600;
export const CONTEST_OPEN_SECONDS = 30;
/** Default and cap of `/contest <bank> [n]`. */
export const CONTEST_DEFAULT_QUESTIONS = 5;
/** How long after open_period our own timer treats a poll as closed, if Telegram's update never came. */
export const CLOSE_GRACE_MS = 3_000;
