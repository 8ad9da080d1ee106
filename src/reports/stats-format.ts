import { escapeHtml } from "../content/index.js";
import type { Locale, Translate } from "../shared/i18n.js";
import { localParts } from "../shared/week.js";
import { sessionRate, weekFigures, type GroupWeekStats } from "./week-stats.js";
import { cutGraphemes, tableRow } from "../shared/graphemes.js";

const INACTIVE_NAMES = 10;
const DASH = "—";

/** `75%`, right-aligned to four characters so a column of them lines up in a <pre> block. */
export function pct(share: number): string {
  return `${Math.round(share * 100)}%`.padStart(4);
}

/** Shortens text for a phone line, between graphemes (never inside an emoji or a flag). */
export function clip(text: string, max: number): string {
  return cutGraphemes(text.replace(/\s+/g, " ").trim(), max);
}

/** Display columns of the name column in the <pre> tables; a wider name wraps under it (never cut to look like another). */
export const NAME_COLUMN = 20;
export const tableLine = (lead: string, name: string) => tableRow(lead, name, NAME_COLUMN, { escape: escapeHtml });

/** `2h 05m` / `35m`: short enough for one phone line. */
export function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${String(minutes % 60).padStart(2, "0")}m`;
  return `${Math.round(hours / 24)}d`;
}

/** `11-23 – 11-29` in the group's zone. */
export function weekRange(stats: Pick<GroupWeekStats, "start" | "end">, timeZone: string): string {
  const a = localParts(stats.start, timeZone);
  const b = localParts(stats.end - 1, timeZone);
  const md = (p: { month: number; day: number }) => `${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
  return `${md(a)} – ${md(b)}`;
}

/**
 * The /stats message (also the text of the weekly report): HTML, names escaped, tables in <pre>. With
 * `names: false` (the copy a group sees) members' names and scores are left out: they go only to organisers.
 */
export function formatWeekStats(s: GroupWeekStats, t: Translate, locale: Locale, timeZone: string, opts: { names?: boolean } = {}): string {
  const names = opts.names ?? true;
  const tr = (key: string, vars?: Record<string, string | number>) => t(locale, key, vars);
  const out: string[] = [];
  out.push(tr("reports-stats-title", { group: escapeHtml(clip(s.title, 40)), week: s.weekId, range: weekRange(s, timeZone) }));
  out.push(tr("reports-stats-members", { count: s.members }));

  out.push("", tr("reports-stats-lessons", { count: s.lessons.length }));
  if (s.lessons.length > 0) {
    const rows = s.lessons.map((l) => tableLine(`${pct(l.share)} ${String(l.studied).padStart(3)}`, l.title));
    out.push(`<pre>${rows.join("\n")}</pre>`);
  }

  const sessions = s.signins.sessions;
  if (sessions && sessions.length > 0) {
    out.push("", tr("reports-stats-signins", { count: sessions.length }));
    const rows = sessions.map((x) => {
      return tableLine(`${pct(sessionRate(x))} ${`${x.signed}/${x.eligible}`.padStart(7)}`, x.title);
    });
    out.push(`<pre>${rows.join("\n")}</pre>`);
  } else {
    out.push("", tr("reports-stats-signins-ledger", { marks: s.signins.marks, members: s.signins.members }));
  }

  const f = weekFigures(s);
  const score = f.quizScore !== null ? pct(f.quizScore).trim() : DASH;
  out.push(tr("reports-stats-quiz", { members: s.quiz.members, total: s.members, share: pct(f.quizShare).trim(), score }));

  out.push(
    tr("reports-stats-questions", {
      asked: f.asked,
      answered: f.answered ?? DASH,
      median: f.medianAnswerMs !== null ? duration(f.medianAnswerMs) : DASH,
    }),
  );

  const reviewShare = s.members > 0 ? s.review.members / s.members : 0;
  out.push(tr("reports-stats-review", { members: s.review.members, total: s.members, share: pct(reviewShare).trim(), answers: s.review.answers }));

  if (names && s.top.length > 0) {
    out.push("", tr("reports-stats-top"));
    const width = String(s.top.length).length;
    out.push(`<pre>${s.top.map((m, i) => tableLine(`${String(i + 1).padStart(width)}. ${String(m.score).padStart(3)}`, m.name)).join("\n")}</pre>`);
  }

  if (!names && s.inactive.length > 0) out.push("", tr("reports-stats-inactive", { count: s.inactive.length }));
  if (names && s.inactive.length > 0) {
    const shown = s.inactive.slice(0, INACTIVE_NAMES).map((m) => escapeHtml(clip(m.name, 16)));
    const more = s.inactive.length - shown.length;
    out.push("", tr("reports-stats-inactive", { count: s.inactive.length }));
    out.push(shown.join(tr("reports-list-separator")) + (more > 0 ? tr("reports-stats-more", { count: more }) : ""));
  }

  const hardest = s.quiz.hardest;
  if (hardest && hardest.length > 0) {
    out.push("", tr("reports-stats-hardest"));
    for (const [i, h] of hardest.entries()) {
      out.push(`${i + 1}. ${escapeHtml(clip(h.question, 40))} · ${pct(h.correct / h.answered).trim()} (${h.correct}/${h.answered})`);
    }
  }
  const forgotten = s.review.forgotten;
  if (forgotten && forgotten.length > 0) {
    out.push("", tr("reports-stats-forgotten"));
    for (const [i, f] of forgotten.entries()) out.push(`${i + 1}. ${escapeHtml(clip(f.question, 40))} · ${tr("reports-stats-forgotten-times", { times: f.times })}`);
  }
  return out.join("\n");
}
