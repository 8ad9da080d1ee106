import { escapeHtml } from "../content/index.js";
import type { GroupInfo } from "../groups/index.js";
import type { Locale, Translate } from "../shared/i18n.js";
import { localParts, shiftWeek } from "../shared/week.js";
import { loadParticipation, type ReportData } from "./group-data.js";
import { buildWorkbook } from "./member-export.js";
import { PARTICIPATION_FORMULA_KEY, type ParticipationParts } from "./participation.js";
import { clip, tableLine } from "./stats-format.js";
import { displayWidth, padStartWidth } from "../shared/graphemes.js";

const SHOWN = 30;

export interface CountyRow {
  rank: number;
  group: GroupInfo;
  members: number;
  lessons: number;
  parts: ParticipationParts;
  /** Index points gained since the week before. */
  change: number;
}

/** Every active group's participation in `weekId` and the week before, best first. */
export async function countyRanking(d: ReportData, weekId: string): Promise<CountyRow[]> {
  const groups = await d.groups.activeGroups();
  const prev = shiftWeek(weekId, -1);
  const rows = await Promise.all(
    groups.map(async (group) => {
      const [now, before] = await loadParticipation(d, group, [weekId, prev]);
      if (!now || !before) throw new Error("unreachable: two weeks asked, two returned");
      return { rank: 0, group, members: now.members, lessons: now.lessons, parts: now.parts, change: now.parts.index - before.parts.index };
    }),
  );
  rows.sort((a, b) => b.parts.index - a.parts.index || b.members - a.members || a.group.title.localeCompare(b.group.title));
  rows.forEach((r, i) => (r.rank = i + 1));
  return rows;
}

/**
 * The towns' lines under the ranking (when organisers set any): groups and mean index per town, best first, the
 * groups without a town last. The table itself keeps the group's name alone: a town before it would wrap on a phone.
 */
function townLines(rows: CountyRow[], t: Translate, locale: Locale): string[] {
  const byTown = new Map<string, CountyRow[]>();
  for (const r of rows) if (r.group.town) byTown.set(r.group.town, [...(byTown.get(r.group.town) ?? []), r]);
  if (byTown.size === 0) return [];
  const mean = (list: CountyRow[]) => Math.round(list.reduce((s, r) => s + r.parts.index, 0) / list.length);
  const towns = [...byTown].map(([town, list]) => ({ town, groups: list.length, index: mean(list) }));
  towns.sort((a, b) => b.index - a.index || a.town.localeCompare(b.town));
  const lines = [t(locale, "reports-county-towns")];
  for (const x of towns) lines.push(t(locale, "reports-county-town", { town: escapeHtml(x.town), groups: x.groups, index: x.index }));
  const none = rows.filter((r) => !r.group.town);
  if (none.length > 0) lines.push(t(locale, "reports-county-no-town", { groups: none.length, index: mean(none) }));
  return lines;
}

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

/** The /report message: a ranked table that fits a phone, the formula under it. */
export function formatCountyReport(rows: CountyRow[], weekId: string, t: Translate, locale: Locale): string {
  if (rows.length === 0) return t(locale, "reports-county-none");
  // The head's words (two columns a CJK character) set the number columns' widths, so head and rows line up.
  const [h0 = "", h1 = "", h2 = "", h3 = ""] = t(locale, "reports-county-head").split(/\s{2,}/);
  const widths = [Math.max(3, displayWidth(h0)), Math.max(4, displayWidth(h1)), Math.max(4, displayWidth(h2))] as const;
  const lead = (a: string, b: string, c: string) => `${padStartWidth(a, widths[0])} ${padStartWidth(b, widths[1])} ${padStartWidth(c, widths[2])}`;
  const lines = rows.slice(0, SHOWN).map((r) => tableLine(lead(String(r.parts.index), signed(r.change), String(r.members)), r.group.title));
  const head = escapeHtml(`${lead(h0, h1, h2)}  ${h3}`);
  const out = [t(locale, "reports-county-title", { week: weekId, count: rows.length }), `<pre>${head}\n${lines.join("\n")}</pre>`];
  if (rows.length > SHOWN) out.push(t(locale, "reports-county-more", { count: rows.length - SHOWN }));
  out.push(...townLines(rows, t, locale));
  out.push(`<i>${escapeHtml(t(locale, PARTICIPATION_FORMULA_KEY))}</i>`);
  return out.join("\n");
}

/** The /report workbook: one row per group. */
export function countyWorkbook(rows: CountyRow[], weekId: string, t: Translate, locale: Locale): Promise<Buffer> {
  const keys = ["rank", "group", "town", "group-id", "members", "lessons", "studied-share", "signin-share", "quiz-share", "index", "change"];
  return buildWorkbook([
    {
      name: weekId,
      headers: keys.map((k) => t(locale, `reports-col-${k}`)),
      widths: [8, 28, 14, 18, 10, 12, 12, 12, 12, 12, 10],
      percentColumns: [6, 7, 8],
      rows: rows.map((r) => [r.rank, r.group.title, r.group.town ?? "", r.group.id, r.members, r.lessons, r.parts.studied, r.parts.signedIn, r.parts.quiz, r.parts.index, r.change]),
    },
  ]);
}

/** The /groups list: every active group with its member count and last activity (local date). */
export async function formatGroupsList(d: ReportData, t: Translate, locale: Locale): Promise<string[]> {
  const groups = await d.groups.activeGroups();
  if (groups.length === 0) return [t(locale, "reports-groups-none")];
  const rows = await Promise.all(
    groups.map(async (g) => {
      const [roster, active] = await Promise.all([d.groups.roster(g.id), d.activity.lastActive(g.id)]);
      const last = Math.max(0, ...active.values());
      return { g, members: roster.length, last };
    }),
  );
  rows.sort((a, b) => b.last - a.last || a.g.title.localeCompare(b.g.title));
  const lines = rows.map((r) => {
    const p = r.last > 0 ? localParts(r.last, r.g.timeZone) : undefined;
    const last = p ? `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}` : t(locale, "reports-groups-never");
    return t(locale, "reports-groups-line", { title: escapeHtml(clip(r.g.title, 30)), members: r.members, last });
  });
  // Telegram caps a message at 4096 characters: send the list in pages.
  const pages: string[] = [];
  let page = t(locale, "reports-groups-title", { count: rows.length });
  for (const line of lines) {
    if (page.length + line.length + 1 > 3800) {
      pages.push(page);
      page = line;
    } else page += `\n${line}`;
  }
  pages.push(page);
  return pages;
}
