import type { Counter } from "../activity/index.js";
import type { Member } from "../groups/index.js";
import type { MemberCounters } from "./week-stats.js";
import { cutToUnits } from "../shared/graphemes.js";

/** PRODUCT.md fixes these columns, first and in this order; more may follow. */
export const EXPORT_COLUMNS = ["user_id", "name", "lessons_studied", "signins", "quiz_answers", "quiz_correct", "questions_asked"] as const;
const EXTRA_COUNTERS = ["signins_late", "excused", "quiz_points"] as const satisfies readonly Counter[];
export const CSV_HEADER = [...EXPORT_COLUMNS, ...EXTRA_COUNTERS, "in_group"] as const;
const COUNTED = ["lessons_studied", "signins", "quiz_answers", "quiz_correct", "questions_asked", ...EXTRA_COUNTERS] as const satisfies readonly Counter[];

export interface ExportRow {
  userId: number;
  name: string;
  counts: Record<(typeof COUNTED)[number], number>;
  inGroup: boolean;
}

/**
 * One row per roster member, plus members who left but took part in these weeks (their
 * attendance happened and the organiser accounts for it); values summed over `weeks`.
 */
export function exportRows(roster: Member[], names: Record<string, string>, weeks: MemberCounters[]): ExportRow[] {
  const rows = new Map<number, ExportRow>();
  const blank = () => Object.fromEntries(COUNTED.map((c) => [c, 0])) as ExportRow["counts"];
  for (const m of roster) rows.set(m.userId, { userId: m.userId, name: m.name, counts: blank(), inGroup: true });
  for (const week of weeks) {
    for (const [userId, row] of week) {
      let out = rows.get(userId);
      if (!out) {
        out = { userId, name: names[String(userId)] ?? String(userId), counts: blank(), inGroup: false };
        rows.set(userId, out);
      }
      for (const c of COUNTED) out.counts[c] += row[c] ?? 0;
    }
  }
  return [...rows.values()].sort((a, b) => Number(b.inGroup) - Number(a.inGroup) || a.name.localeCompare(b.name) || a.userId - b.userId);
}

/** RFC 4180 quoting; a leading = + - @ is defused so a spreadsheet does not run it as a formula. */
export function csvField(value: string | number): string {
  let s = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function rowValues(r: ExportRow): (string | number)[] {
  return [r.userId, r.name, ...COUNTED.map((c) => r.counts[c]), r.inGroup ? 1 : 0];
}

/** UTF-8 with a BOM (so Excel opens Chinese names correctly), CRLF line ends. */
export function toCsv(rows: ExportRow[]): Buffer {
  const lines = [CSV_HEADER.join(","), ...rows.map((r) => rowValues(r).map(csvField).join(","))];
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join("\r\n") + "\r\n", "utf8")]);
}

export interface SheetSpec {
  name: string;
  /** Human headers, one per column. */
  headers: string[];
  widths: number[];
  rows: (string | number)[][];
  /** Columns (0-based) shown as percentages. */
  percentColumns?: number[];
}

/** A workbook of plain tables: bold frozen header row, set column widths, an autofilter. */
export async function buildWorkbook(sheets: SheetSpec[]): Promise<Buffer> {
  // Loaded on first use: exceljs is heavy and only exports and reports need it.
  const { default: ExcelJS } = await import("exceljs");
  const wb = new ExcelJS.Workbook();
  wb.creator = "Sanxue";
  for (const spec of sheets) {
    const ws = wb.addWorksheet(cutToUnits(spec.name, 31, ""), { views: [{ state: "frozen", ySplit: 1 }] });
    ws.columns = spec.headers.map((header, i) => ({ header, width: spec.widths[i] ?? 12 }));
    ws.getRow(1).font = { bold: true };
    ws.getRow(1).alignment = { vertical: "middle", wrapText: true };
    for (const row of spec.rows) ws.addRow(row);
    for (const col of spec.percentColumns ?? []) ws.getColumn(col + 1).numFmt = "0%";
    ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: spec.headers.length } };
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The member sheet for one period: the CSV's columns, under readable headers. */
export function memberSheet(name: string, headers: string[], rows: ExportRow[]): SheetSpec {
  return { name, headers, widths: [14, 20, ...COUNTED.map(() => 11), 10], rows: rows.map(rowValues) };
}

export const MEMBER_HEADER_KEYS = [
  "reports-col-user-id",
  "reports-col-name",
  "reports-col-lessons-studied",
  "reports-col-signins",
  "reports-col-quiz-answers",
  "reports-col-quiz-correct",
  "reports-col-questions-asked",
  "reports-col-signins-late",
  "reports-col-excused",
  "reports-col-quiz-points",
  "reports-col-in-group",
];
