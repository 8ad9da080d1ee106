import { escapeHtml } from "../content/index.js";
import type { Locale, Translate } from "../shared/i18n.js";
import type { MemberRunStats } from "./quizzes.repository.js";
import { cutGraphemes } from "../shared/graphemes.js";

export interface RankedMember extends MemberRunStats {
  userId: number;
  name: string;
}

/** Fastest right answerers: most right answers, then least time spent on them, then user id. */
export function fastestCorrect(members: RankedMember[], limit = 3): RankedMember[] {
  return members
    .filter((m) => m.correct > 0)
    .sort((a, b) => b.correct - a.correct || a.ms - b.ms || a.userId - b.userId)
    .slice(0, limit);
}

/** A contest's order: points, then right answers, then speed, then user id. */
export function podiumOrder(members: RankedMember[]): RankedMember[] {
  return [...members].sort(
    (a, b) => b.points - a.points || b.correct - a.correct || a.ms - b.ms || a.userId - b.userId,
  );
}

const MEDALS = ["🥇", "🥈", "🥉"];
const seconds = (ms: number) => (Math.round(ms / 100) / 10).toFixed(1);
// Results lines are not aligned, so a long name may run on; it is only cut past 32 graphemes, never inside one.
const short = (name: string) => escapeHtml(cutGraphemes(name, 32));

/** The group's message when a lesson quiz has closed. */
export function formatQuizResults(
  t: Translate,
  locale: Locale,
  title: string,
  questions: number,
  members: RankedMember[],
): string {
  const head = t(locale, "quizzes-results-title", { title: escapeHtml(title) });
  if (members.length === 0) return `${head}\n${t(locale, "quizzes-results-nobody")}`;
  const answers = members.reduce((s, m) => s + m.answers, 0);
  const correct = members.reduce((s, m) => s + m.correct, 0);
  const share = answers === 0 ? 0 : Math.round((100 * correct) / answers);
  const lines = [head, t(locale, "quizzes-results-summary", { participants: members.length, share })];
  const fastest = fastestCorrect(members);
  if (fastest.length > 0) {
    lines.push(t(locale, "quizzes-results-fastest"));
    fastest.forEach((m, i) =>
      lines.push(
        `${MEDALS[i]} ${short(m.name)} · ${t(locale, "quizzes-results-line", { correct: m.correct, total: questions, seconds: seconds(m.ms) })}`,
      ),
    );
  } else {
    lines.push(t(locale, "quizzes-results-none-right"));
  }
  return lines.join("\n");
}

/** The podium at the end of a contest: top 3 with points. */
export function formatPodium(
  t: Translate,
  locale: Locale,
  bank: string,
  questions: number,
  members: RankedMember[],
): string {
  const head = t(locale, "quizzes-podium-title", { bank: escapeHtml(bank) });
  if (members.length === 0) return `${head}\n${t(locale, "quizzes-results-nobody")}`;
  const lines = [head];
  podiumOrder(members)
    .slice(0, 3)
    .forEach((m, i) =>
      lines.push(
        `${MEDALS[i]} ${short(m.name)} — ${t(locale, "quizzes-podium-line", { points: m.points, correct: m.correct, total: questions })}`,
      ),
    );
  lines.push(t(locale, "quizzes-podium-participants", { participants: members.length }));
  return lines.join("\n");
}
