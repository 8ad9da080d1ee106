import { escapeHtml } from "../content/index.js";
import { localParts } from "../shared/week.js";
import { rankedTopics } from "./demand-order.js";
import type { ChoiceResult, DemandView, GroupNeedsRow } from "./demand.service.js";

/** A translation bound to the reader's language (`ctx.t`). */
export type Say = (key: string, vars?: Record<string, string | number>) => string;

/** Upcoming lessons shown per track in /schedule. */
const SHOWN = 10;
/** Topics shown per group. */
const TOPICS_SHOWN = 5;

function localDate(at: number, timeZone: string): string {
  const p = localParts(at, timeZone);
  return `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
}

/** The lines /schedule adds for the group's elective tracks: its needs, and what comes next, numbered. */
export function scheduleSection(t: Say, view: DemandView, timeZone: string, organiser: boolean): string[] {
  if (view.plans.length === 0) return [];
  const lines = [t("demand-section-title")];
  const tracks = view.plans.map((p) => t(`lessons-track-${p.track}`)).join("、");
  const top = view.needs ? rankedTopics(view.needs.votes).slice(0, TOPICS_SHOWN) : [];
  if (view.needs && top.length > 0) {
    const topics = top.map(([topic, votes]) => t("demand-topic", { topic: escapeHtml(topic), votes })).join("、");
    lines.push(t("demand-needs", { date: localDate(view.needs.closedAt, timeZone), voters: view.needs.voters, topics }));
  } else lines.push(t("demand-no-needs", { track: tracks }));
  if (!view.choices.reorder) lines.push(t("demand-reorder-off", { track: tracks }));
  const pinned = new Set(view.choices.pins);
  // Numbers run on across the tracks, as `find` reads them, hidden lessons included.
  let offset = 0;
  for (const plan of view.plans) {
    const track = t(`lessons-track-${plan.track}`);
    if (plan.upcoming.length === 0) {
      lines.push(t("demand-finished", { track }));
      continue;
    }
    lines.push(t("demand-next-title", { track }));
    plan.upcoming.slice(0, SHOWN).forEach((lesson, i) => {
      const mark = pinned.has(lesson.id) ? t("demand-pinned-mark") : "";
      lines.push(t("demand-next-line", { n: offset + i + 1, title: escapeHtml(lesson.title), id: escapeHtml(lesson.id), mark }));
    });
    if (plan.upcoming.length > SHOWN) lines.push(t("demand-more", { count: plan.upcoming.length - SHOWN }));
    offset += plan.upcoming.length;
  }
  if (view.skipped.length > 0) {
    lines.push(t("demand-skipped", { lessons: view.skipped.map((l) => `${escapeHtml(l.title)} <code>${escapeHtml(l.id)}</code>`).join("、") }));
  }
  if (organiser) lines.push(t("demand-hint"));
  return lines;
}

/** An organiser's pin, skip or restore, answered. */
export function choiceText(t: Say, action: "pin" | "skip" | "restore", result: ChoiceResult): string {
  if (result.kind === "unknown") return t(action === "restore" ? "demand-restore-unknown" : "demand-unknown");
  const vars = { title: escapeHtml(result.lesson.title), track: t(`lessons-track-${result.lesson.track}`) };
  if (result.kind === "not-elective") return t("demand-not-elective", vars);
  if (result.kind === "pushed") return t("demand-already-pushed", vars);
  return t(`demand-${action}-done`, vars);
}

/** The county's needs across groups, one block per group, by town (the town leads the group's name). */
export function countySection(t: Say, rows: GroupNeedsRow[], timeZone: string): string {
  if (rows.length === 0) return `${t("demand-county-title")}\n${t("demand-county-none")}`;
  const lines = [t("demand-county-title")];
  for (const row of rows) {
    lines.push(t("demand-county-group", { title: escapeHtml(row.town ? `${row.town} · ${row.title}` : row.title), date: localDate(row.closedAt, timeZone), voters: row.voters }));
    if (row.topics.length === 0) lines.push(t("demand-county-no-votes"));
    for (const topic of row.topics) lines.push(t("demand-county-topic", { topic: escapeHtml(topic.topic), votes: topic.votes, pushed: topic.pushed, studied: topic.studied }));
  }
  return lines.join("\n");
}
