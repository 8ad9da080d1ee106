import { describe, expect, it } from "vitest";
import type { GroupInfo } from "../../src/groups/index.js";
import { formatCountyReport, type CountyRow } from "../../src/reports/county-report.js";
import { formatWeekStats } from "../../src/reports/stats-format.js";
import { summariseWeek } from "../../src/reports/week-stats.js";
import { displayWidth } from "../../src/shared/graphemes.js";
import { createI18n, translatorOf } from "../../src/shared/i18n.js";
import { weekBounds } from "../../src/shared/week.js";

const t = translatorOf(createI18n("zh", () => undefined));
const DAY = 86_400_000;
const LONGEST_LINE = 40; // display columns: a phone's <pre> without sideways scrolling

function row(id: number, title: string, index: number): CountyRow {
  const group = { id, title } as GroupInfo;
  return { rank: 0, group, members: 30, lessons: 3, parts: { studied: 0.5, signedIn: 0.5, quiz: 0.5, index }, change: 2 };
}

/** The <pre> table's lines, tags and entities removed. */
const tableLines = (html: string) => /<pre>([\s\S]*?)<\/pre>/.exec(html)?.[1]?.replace(/&amp;/g, "&").split("\n") ?? [];

describe("chat tables wrap long names instead of cutting them alike", () => {
  it("/report: two long branch names that share their first fourteen characters stay distinct", () => {
    const a = "城关镇东街社区居民委员会党支部";
    const b = "城关镇东街社区居民委员会党总支";
    const text = formatCountyReport([row(-1, a, 80), row(-2, b, 70), row(-3, "城关镇东街村党支部", 60)], "2026-W48", t, "zh");
    const lines = tableLines(text);
    const squeezed = lines.map((l) => l.trim()).join("|");
    // Each name is whole once the wrapped lines are read together.
    expect(lines.join("").replace(/\s|[+\d]/g, "")).toContain(`${a}${b}城关镇东街村党支部`.replace(/\s/g, ""));
    expect(squeezed).not.toContain("…");
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(LONGEST_LINE);
    expect(lines).toContain("  60   +2   30  城关镇东街村党支部");
    // The head lines up with the columns by display width: each word ends where its numbers end.
    const head = lines[0] ?? "";
    expect(head).toBe("指数 变化 人数  群");
    const ends = (line: string) => [...line.matchAll(/\S+/g)].slice(0, 3).map((m) => displayWidth(line.slice(0, (m.index ?? 0) + m[0].length)));
    expect(ends(head)).toEqual(ends("  60   +2   30  城关镇东街村党支部"));
  });

  it("/stats: a long member name in the top table wraps under its column, with an emoji kept whole", () => {
    const { start, end } = weekBounds("2026-W48", "Asia/Shanghai");
    const name = "王小明😀来自城关镇东街社区居民委员会";
    const s = summariseWeek({
      groupId: -1, title: "红星村", weekId: "2026-W48", start, end, now: end,
      roster: [{ userId: 1, name, joinedAt: start - 30 * DAY }],
      week: new Map([[1, { lessons_studied: 2 }]]),
      lessons: [], lastActive: new Map([[1, end - DAY]]),
    });
    const lines = tableLines(formatWeekStats(s, t, "zh", "Asia/Shanghai"));
    expect(lines.length).toBe(2);
    expect(lines.map((l, i) => (i === 0 ? l.replace(/^\s*\d+\.\s+\d+\s+/, "") : l).trim()).join("")).toBe(name);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(LONGEST_LINE);
  });
});
