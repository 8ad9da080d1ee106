import { escapeHtml } from "../content/index.js";
import type { Locale, Translate } from "../shared/i18n.js";
import type { BoardRow } from "./leaderboard.js";
import type { MyLine } from "./scores.service.js";

function scopeLine(t: Translate, locale: Locale, key: string, row: BoardRow | undefined, of: number): string {
  if (!row) return t(locale, `${key}-none`);
  return t(locale, key, {
    studied: row.studied,
    signins: row.signins,
    answers: row.quizAnswers,
    correct: row.quizCorrect,
    points: row.quizPoints,
    score: row.score,
    rank: row.rank,
    of,
  });
}

/** `/me` in a group: this week's line, the all-time line, the streak when known. */
export function formatMe(t: Translate, locale: Locale, name: string, line: MyLine): string {
  const lines = [
    t(locale, "scores-me-title", { name: escapeHtml(name) }),
    scopeLine(t, locale, "scores-me-week", line.week, line.weekOf),
    scopeLine(t, locale, "scores-me-all", line.all, line.allOf),
  ];
  if (line.streak !== undefined) lines.push(t(locale, "scores-me-streak", { streak: line.streak }));
  return lines.join("\n");
}

/** `/me` in private: one short line per group. */
export function formatMyGroups(
  t: Translate,
  locale: Locale,
  entries: { title: string; line: MyLine }[],
): string {
  if (entries.length === 0) return t(locale, "scores-me-private-none");
  const lines = [t(locale, "scores-me-private-title")];
  for (const { title, line } of entries) {
    const row = line.week;
    const detail = row
      ? t(locale, "scores-me-private-line", {
          rank: row.rank,
          of: line.weekOf,
          score: row.score,
          allScore: line.all?.score ?? 0,
        })
      : t(locale, "scores-me-private-quiet", { allScore: line.all?.score ?? 0 });
    lines.push(`• <b>${escapeHtml(title)}</b>: ${detail}`);
  }
  lines.push("", t(locale, "scores-me-private-hint"));
  return lines.join("\n");
}
