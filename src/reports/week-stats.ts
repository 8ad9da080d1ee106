import type { Counter } from "../activity/index.js";
import type { Member } from "../groups/index.js";
import { participationIndex, type ParticipationParts } from "./participation.js";
import type { ForgottenQuestionStat, QuestionsWeekSummary, QuizQuestionStats, SigninSessionStats } from "./report-sources.js";

const TWO_WEEKS_MS = 14 * 24 * 3600 * 1000;
const TOP = 5;
const HARDEST = 3;

export type MemberCounters = Map<number, Partial<Record<Counter, number>>>;

/** Everything /stats, the weekly report and the county report say about one group's week. */
export interface GroupWeekStats {
  groupId: number;
  title: string;
  weekId: string;
  start: number;
  end: number;
  members: number;
  lessons: { lessonId: string; title: string; studied: number; share: number }[];
  studiedMarks: number;
  signins: { marks: number; members: number; sessions?: SigninSessionStats[] };
  quiz: { answers: number; correct: number; members: number; hardest?: QuizQuestionStats[] };
  questions: { asked: number; summary?: QuestionsWeekSummary };
  /** Spaced review: members who answered /review's questions this week, and the questions most often forgotten. */
  review: { members: number; answers: number; forgotten?: ForgottenQuestionStat[] };
  top: { userId: number; name: string; score: number }[];
  inactive: { userId: number; name: string }[];
  participation: ParticipationParts;
}

export interface WeekInput {
  groupId: number;
  title: string;
  weekId: string;
  start: number;
  end: number;
  /** The moment the stats are taken: "inactive for two weeks" counts back from min(now, end). */
  now: number;
  roster: Member[];
  week: MemberCounters;
  /** Lessons pushed in the week, with how many members have marked each studied so far. */
  lessons: { lessonId: string; title: string; studied: number }[];
  lastActive?: Map<number, number>;
  sessions?: SigninSessionStats[];
  quizQuestions?: QuizQuestionStats[];
  questions?: QuestionsWeekSummary;
  forgotten?: ForgottenQuestionStat[];
}

const n = (row: Partial<Record<Counter, number>> | undefined, c: Counter): number => row?.[c] ?? 0;

/** Member's activity score in a week: every kind of participation counts one. */
export function activityScore(row: Partial<Record<Counter, number>> | undefined): number {
  return n(row, "lessons_studied") + n(row, "signins") + n(row, "quiz_answers") + n(row, "questions_asked") + n(row, "reviews");
}

/** Turns a week's aggregates into the numbers reports show. Pure. */
export function summariseWeek(input: WeekInput): GroupWeekStats {
  const members = input.roster.filter((m) => m.joinedAt < input.end);
  const count = members.length;
  const sum = (c: Counter) => [...input.week.values()].reduce((acc, row) => acc + n(row, c), 0);
  const withAny = (c: Counter) => members.filter((m) => n(input.week.get(m.userId), c) > 0).length;

  const lessons = input.lessons.map((l) => ({ ...l, share: count > 0 ? Math.min(1, l.studied / count) : 0 }));
  const studiedMarks = sum("lessons_studied");
  const signinMembers = withAny("signins");
  const quizMembers = withAny("quiz_answers");

  const names = new Map(input.roster.map((m) => [m.userId, m.name]));
  const top = [...input.week.entries()]
    .map(([userId, row]) => ({ userId, name: names.get(userId) ?? String(userId), score: activityScore(row) }))
    .filter((r) => r.score > 0)
    .sort((a, b) => b.score - a.score || a.name.localeCompare(b.name))
    .slice(0, TOP);

  const reference = Math.min(input.now, input.end);
  const inactive = input.lastActive
    ? members
        .filter((m) => (input.lastActive?.get(m.userId) ?? m.joinedAt) <= reference - TWO_WEEKS_MS)
        .map((m) => ({ userId: m.userId, name: m.name }))
        .sort((a, b) => a.name.localeCompare(b.name))
    : [];

  const hardest = input.quizQuestions
    ?.filter((q) => q.answered > 0)
    .sort((a, b) => a.correct / a.answered - b.correct / b.answered || b.answered - a.answered)
    .slice(0, HARDEST);

  return {
    groupId: input.groupId,
    title: input.title,
    weekId: input.weekId,
    start: input.start,
    end: input.end,
    members: count,
    lessons,
    studiedMarks,
    signins: { marks: sum("signins"), members: signinMembers, sessions: input.sessions },
    quiz: { answers: sum("quiz_answers"), correct: sum("quiz_correct"), members: quizMembers, hardest },
    questions: { asked: sum("questions_asked"), summary: input.questions },
    review: { members: withAny("reviews"), answers: sum("reviews"), forgotten: input.forgotten },
    top,
    inactive,
    participation: participationIndex({
      members: count,
      lessonsPushed: lessons.length,
      studiedMarks,
      membersSignedIn: signinMembers,
      membersAnsweredQuiz: quizMembers,
    }),
  };
}

/** A week's headline figures, each 0–1 or a count, as /stats shows them (the console's trends read the same). */
export interface WeekFigures {
  /** Studied marks ÷ (members × lessons pushed): the participation index's part. */
  studiedShare: number;
  /** Over the week's sessions: signed ÷ expected; without sessions, members who signed in ÷ members. */
  signinRate: number;
  quizShare: number;
  /** Correct ÷ answers; null when nobody answered. */
  quizScore: number | null;
  asked: number;
  /** null when the questions feature says nothing (no experts' chat). */
  answered: number | null;
  medianAnswerMs: number | null;
}

/** A session's sign-in rate: signed ÷ expected. */
export const sessionRate = (x: Pick<SigninSessionStats, "signed" | "eligible">): number => (x.eligible > 0 ? x.signed / x.eligible : 0);

export function weekFigures(s: GroupWeekStats): WeekFigures {
  const sessions = s.signins.sessions ?? [];
  const eligible = sessions.reduce((a, x) => a + x.eligible, 0);
  const q = s.questions.summary;
  return {
    studiedShare: s.participation.studied,
    signinRate: sessions.length > 0 ? (eligible > 0 ? sessions.reduce((a, x) => a + x.signed, 0) / eligible : 0) : s.participation.signedIn,
    quizShare: s.members > 0 ? s.quiz.members / s.members : 0,
    quizScore: s.quiz.answers > 0 ? s.quiz.correct / s.quiz.answers : null,
    asked: q?.asked ?? s.questions.asked,
    answered: q ? q.answered : null,
    medianAnswerMs: q?.medianFirstAnswerMs ?? null,
  };
}
