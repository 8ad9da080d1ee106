import { escapeHtml } from "../content/index.js";
import type { Locale, Translate } from "../shared/i18n.js";
import { localParts } from "../shared/week.js";
import type { Classified } from "./attendance.js";
import type { SessionRecord } from "./signins.repository.js";

/** What users read about a session; HTML, every piece of user text escaped. */

export function clockTime(at: number, timeZone: string): string {
  const p = localParts(at, timeZone);
  return `${String(p.hour).padStart(2, "0")}:${String(p.minute).padStart(2, "0")}`;
}

export function countsOf(c: Classified) {
  return {
    signed: c.present.length + c.late.length,
    present: c.present.length,
    late: c.late.length,
    excused: c.excused.length,
    absent: c.absent.length,
    eligible: c.eligible.length,
  };
}

export function liveText(
  t: Translate,
  locale: Locale,
  s: SessionRecord,
  timeZone: string,
  count: number,
): string {
  return t(locale, "signins-live", {
    title: escapeHtml(s.title),
    until: clockTime(s.closesAt, timeZone),
    minutes: Math.round((s.closesAt - s.openedAt) / 60_000),
    lateAfter: Math.round(s.lateAfterMs / 60_000),
    count,
  });
}

export function finalText(
  t: Translate,
  locale: Locale,
  s: SessionRecord,
  c: Classified,
  sentPrivately: boolean,
): string {
  const text = t(locale, "signins-final", { title: escapeHtml(s.title), ...countsOf(c) });
  return sentPrivately ? `${text}\n${t(locale, "signins-final-sent-privately")}` : text;
}

/** The organiser's private list: counts, then who did not sign in, who was late, who was excused (with reasons). */
export function privateReport(
  t: Translate,
  locale: Locale,
  s: Pick<SessionRecord, "title">,
  groupTitle: string,
  c: Classified,
  names: Record<string, string>,
  reasons: Map<number, string>,
): string {
  const name = (uid: number) => escapeHtml(names[String(uid)] ?? String(uid));
  const lines = [
    t(locale, "signins-private-title", { group: escapeHtml(groupTitle), title: escapeHtml(s.title) }),
    t(locale, "signins-private-counts", countsOf(c)),
  ];
  if (c.absent.length)
    lines.push(
      "",
      t(locale, "signins-private-absent", { count: c.absent.length }),
      c.absent.map(name).join("、"),
    );
  if (c.late.length)
    lines.push("", t(locale, "signins-private-late", { count: c.late.length }), c.late.map(name).join("、"));
  if (c.excused.length) {
    lines.push("", t(locale, "signins-private-excused", { count: c.excused.length }));
    for (const uid of c.excused) lines.push(`• ${name(uid)}：${escapeHtml(reasons.get(uid) ?? "")}`);
  }
  if (!c.absent.length) lines.push("", t(locale, "signins-private-everyone"));
  return lines.join("\n");
}
