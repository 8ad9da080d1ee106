import type { Counter } from "../activity/index.js";
import { escapeHtml } from "../content/index.js";
import type { Locale, Translate } from "../shared/i18n.js";
import { cutGraphemes, displayWidth } from "../shared/graphemes.js";

/**
 * The one rule of the leaderboard: each lesson studied and each sign-in is worth 10, and quiz
 * points count as earned (10 per right answer plus up to 5 for speed). The board prints it.
 */
export const SCORE_PER_STUDIED = 10;
export const SCORE_PER_SIGNIN = 10;

export type Counters = Partial<Record<Counter, number>>;

export function scoreOf(c: Counters): number {
  return (
    SCORE_PER_STUDIED * (c.lessons_studied ?? 0) + SCORE_PER_SIGNIN * (c.signins ?? 0) + (c.quiz_points ?? 0)
  );
}

export interface BoardRow {
  userId: number;
  name: string;
  studied: number;
  signins: number;
  quizAnswers: number;
  quizCorrect: number;
  quizPoints: number;
  score: number;
  /** 1-based; members equal in score and lessons studied share a rank. */
  rank: number;
}

export function rowOf(userId: number, name: string, c: Counters): Omit<BoardRow, "rank"> {
  return {
    userId,
    name,
    studied: c.lessons_studied ?? 0,
    signins: c.signins ?? 0,
    quizAnswers: c.quiz_answers ?? 0,
    quizCorrect: c.quiz_correct ?? 0,
    quizPoints: c.quiz_points ?? 0,
    score: scoreOf(c),
  };
}

const collator = new Intl.Collator("zh-Hans-CN");

/**
 * Orders the board: score, then more lessons studied (studying is the programme's core), then
 * name and user id so equal members always appear in the same order. Rank is shared by members
 * equal in score and lessons studied.
 */
export function rankBoard(rows: Omit<BoardRow, "rank">[]): BoardRow[] {
  const sorted = [...rows].sort(
    (a, b) =>
      b.score - a.score || b.studied - a.studied || collator.compare(a.name, b.name) || a.userId - b.userId,
  );
  const out: BoardRow[] = [];
  sorted.forEach((row, i) => {
    const prev = out[i - 1];
    const rank = prev && prev.score === row.score && prev.studied === row.studied ? prev.rank : i + 1;
    out.push({ ...row, rank });
  });
  return out;
}

/** Wider names (display columns) get a line of their own on the board, so none is cut to look like another. */
const INLINE_NAME_WIDTH = 20;
const MAX_NAME = 64;
export const shortName = (name: string) => cutGraphemes(name.replace(/\s+/g, " ").trim(), MAX_NAME);

/**
 * The board for a phone screen: rank and score right-aligned in monospace at the start of each
 * line (names vary in width, so they go last), a compact breakdown after the name.
 */
export function formatBoard(
  t: Translate,
  locale: Locale,
  opts: { title: string; rows: BoardRow[]; callerId?: number; limit?: number },
): string {
  const { rows, callerId } = opts;
  const limit = opts.limit ?? 10;
  const lines = [opts.title];
  if (rows.length === 0) {
    lines.push(t(locale, "scores-board-empty"));
  } else {
    const top = rows.slice(0, limit);
    const caller = rows.find((r) => r.userId === callerId);
    const shown = caller && !top.includes(caller) ? [...top, caller] : top;
    const rankWidth = String(Math.max(...shown.map((r) => r.rank))).length;
    const scoreWidth = String(Math.max(...shown.map((r) => r.score))).length;
    for (const row of shown) {
      if (row === caller && !top.includes(row)) lines.push("…");
      const lead = `${String(row.rank).padStart(rankWidth)}. ${String(row.score).padStart(scoreWidth)}`;
      const name = escapeHtml(shortName(row.name));
      const mine = row.userId === callerId;
      const detail = t(locale, "scores-board-detail", {
        studied: row.studied,
        signins: row.signins,
        points: row.quizPoints,
      });
      const shown = mine ? `<b>${name}</b>` : name;
      if (displayWidth(row.name) <= INLINE_NAME_WIDTH) lines.push(`<code>${lead}</code> ${shown} <i>${detail}</i>`);
      else lines.push(`<code>${lead}</code> ${shown}`, `<code>${" ".repeat(lead.length)}</code> <i>${detail}</i>`);
    }
    if (callerId !== undefined && !caller) lines.push(t(locale, "scores-board-you-none"));
  }
  lines.push("", t(locale, "scores-rule", { studied: SCORE_PER_STUDIED, signins: SCORE_PER_SIGNIN }));
  return lines.join("\n");
}
