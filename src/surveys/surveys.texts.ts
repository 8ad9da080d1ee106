import { escapeHtml } from "../content/index.js";
import type { QuestionTally } from "./tally.js";

type Say = (key: string, vars?: Record<string, string | number>) => string;

/** Results in a compact form: each question, its voters, then each option's votes. */
export function resultsText(t: Say, result: { title: string; weekId: string; questions: readonly QuestionTally[] }): string {
  const lines = [t("surveys-results-title", { title: escapeHtml(result.title), week: result.weekId })];
  result.questions.forEach((q, i) => {
    lines.push("", t("surveys-results-question", { n: i + 1, question: escapeHtml(q.question), voters: q.voters }));
    for (const o of q.options) lines.push(t("surveys-results-option", { option: escapeHtml(o.text), votes: o.votes }));
  });
  return lines.join("\n");
}

/** Shortest and longest time a survey may run before it closes by itself. */
const MIN_HOURS = 1;
const MAX_HOURS = 30 * 24;

/** `3d`, `3天`, `12h`, `12小时` → milliseconds; undefined for anything else or outside 1 hour … 30 days. */
export function parseDeadline(text: string): number | undefined {
  const m = /^(\d{1,3})\s*(d|天|h|小时|時)$/i.exec(text.trim());
  if (!m) return undefined;
  const hours = Number(m[1]) * (/^(d|天)$/i.test(m[2] ?? "") ? 24 : 1);
  return hours >= MIN_HOURS && hours <= MAX_HOURS ? hours * 3600_000 : undefined;
}
