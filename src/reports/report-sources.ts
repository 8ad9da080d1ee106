import type { WeekSummary as QuestionsWeekSummary } from "../questions/index.js";
import type { QuestionStat } from "../quizzes/index.js";
import type { SessionSummary as SigninSessionStats } from "../signins/index.js";
import type { InlineKeyboardMarkup } from "grammy/types";
import type { Locale } from "../shared/i18n.js";

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

/** Where a report message that offers the console goes: a group (a link into the private chat) or someone's private chat. */
export type ConsoleButtonPlace =
  | { chat: "private"; locale: Locale; groupId?: number }
  | { chat: "group"; locale: Locale; groupId: number; botUsername: string };

/** The console's button under a report (the console feature gives it when PUBLIC_URL is set; otherwise none). */
export type ConsoleButton = (place: ConsoleButtonPlace) => InlineKeyboardMarkup | undefined;
