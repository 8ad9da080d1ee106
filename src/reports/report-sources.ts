/**
 * What other features tell the reports (their `reportSources` hook, src/reports/index.ts). Each provider is optional:
 * when one is absent its section shows "—" (or is left out) and the rest still works.
 */
export interface SigninSessionStats {
  id: string;
  title: string;
  openedAt: number;
  closedAt?: number;
  /** Members who signed in, late ones included. */
  present: number;
  /** Of `present`, those who signed in late. */
  late: number;
  excused: number;
  absent: number;
  /** Members expected at the session (on the roster when it opened). */
  eligible: number;
}

export interface QuizQuestionStats {
  question: string;
  answered: number;
  correct: number;
}

export interface QuestionsWeekSummary {
  asked: number;
  answered: number;
  /** Median time from asking to the first expert answer; null when none was answered. */
  medianFirstAnswerMs: number | null;
  helpful: number;
  notHelpful: number;
}

export interface ReportSources {
  sessionsOf?(groupId: number, weekId: string): Promise<SigninSessionStats[]>;
  questionStats?(groupId: number, weekId: string): Promise<QuizQuestionStats[]>;
  weekSummary?(groupId: number, weekId: string): Promise<QuestionsWeekSummary>;
}
