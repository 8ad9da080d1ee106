import type { WeekSummary as QuestionsWeekSummary } from "../questions/index.js";
import type { QuestionStat } from "../quizzes/index.js";
import type { SessionSummary as SigninSessionStats } from "../signins/index.js";

/**
 * What other features tell the reports (their `reportSources` hook, src/reports/index.ts), in the types those
 * features give them. Each provider is optional: when one is absent its section shows "—" (or is left out) and
 * the rest still works.
 */
export type { QuestionsWeekSummary, SigninSessionStats };

/** What the reports read of a quiz question's week. */
export type QuizQuestionStats = Pick<QuestionStat, "question" | "answered" | "correct">;

/** A question the group's members forgot (had right, then wrong: spaced review's lapses) in the week, and how often. */
export interface ForgottenQuestionStat {
  question: string;
  times: number;
}

export interface ReportSources {
  sessionsOf?(groupId: number, weekId: string): Promise<SigninSessionStats[]>;
  questionStats?(groupId: number, weekId: string): Promise<QuizQuestionStats[]>;
  weekSummary?(groupId: number, weekId: string): Promise<QuestionsWeekSummary>;
  /** The questions most often forgotten in the week, most first. */
  forgotten?(groupId: number, weekId: string): Promise<ForgottenQuestionStat[]>;
}
