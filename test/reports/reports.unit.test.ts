import { describe, expect, it } from "vitest";
import { createI18n, translatorOf } from "../../src/shared/i18n.js";
import { weekBounds } from "../../src/shared/week.js";
import { daysOfWeek } from "../../src/reports/group-data.js";
import { csvField, exportRows, toCsv } from "../../src/reports/member-export.js";
import { participationIndex } from "../../src/reports/participation.js";
import { escapeHtml } from "../../src/content/index.js";
import { clip, duration, formatWeekStats, pct } from "../../src/reports/stats-format.js";
import { parseWeekArg, parseWeeksCount, weeksEndingWith } from "../../src/reports/week-arg.js";
import { summariseWeek, type WeekInput } from "../../src/reports/week-stats.js";
import { parseCsv } from "./csv.js";

const t = translatorOf(createI18n("zh", () => undefined));
const DAY = 86_400_000;

describe("week arguments", () => {
  const sundayNightShanghai = Date.parse("2026-11-29T15:30:00Z"); // Sunday 23:30 in Shanghai, still W48
  it("this / last / an ISO week, in the group's zone", () => {
    expect(parseWeekArg("", sundayNightShanghai, "Asia/Shanghai")).toEqual({ ok: true, weekId: "2026-W48" });
    expect(parseWeekArg("this", sundayNightShanghai + 3600_000, "Asia/Shanghai")).toEqual({ ok: true, weekId: "2026-W49" });
    expect(parseWeekArg("LAST", sundayNightShanghai, "Asia/Shanghai")).toEqual({ ok: true, weekId: "2026-W47" });
    expect(parseWeekArg("2026-w10", sundayNightShanghai, "Asia/Shanghai")).toEqual({ ok: true, weekId: "2026-W10" });
  });

  it("in a zone with daylight saving, Monday 00:30 local after the spring change is the new week", () => {
    // 2026-03-30 00:30 in Berlin (CEST, UTC+2) is 2026-03-29T22:30Z: W14 there, W13 in UTC.
    const at = Date.parse("2026-03-29T22:30:00Z");
    expect(parseWeekArg("this", at, "Europe/Berlin")).toEqual({ ok: true, weekId: "2026-W14" });
    expect(parseWeekArg("this", at, "UTC")).toEqual({ ok: true, weekId: "2026-W13" });
    const { start, end } = weekBounds("2026-W13", "Europe/Berlin");
    expect(end - start).toBe(7 * DAY - 3600_000);
  });

  it("refuses nonsense, impossible weeks and weeks not yet begun", () => {
    const now = Date.parse("2026-11-25T00:00:00Z");
    for (const bad of ["W48", "2026-W54", "2026-W00", "next", "2026-48", "<b>"]) {
      expect(parseWeekArg(bad, now, "Asia/Shanghai"), bad).toEqual({ ok: false, reason: "format" });
    }
    expect(parseWeekArg("2026-W50", now, "Asia/Shanghai")).toEqual({ ok: false, reason: "future" });
  });

  it("/export weeks: 1..52, default 4", () => {
    expect(parseWeeksCount("")).toBe(4);
    expect(parseWeeksCount(" 52 ")).toBe(52);
    for (const bad of ["0", "53", "-1", "4.5", "four", "100"]) expect(parseWeeksCount(bad), bad).toBeNull();
    expect(weeksEndingWith("2027-W01", 3)).toEqual(["2026-W52", "2026-W53", "2027-W01"]);
    expect(daysOfWeek("2026-W53")).toEqual(["2026-12-28", "2026-12-29", "2026-12-30", "2026-12-31", "2027-01-01", "2027-01-02", "2027-01-03"]);
  });
});

describe("participation index", () => {
  it("is the mean of studied, signed-in and quiz shares, 0–100", () => {
    expect(participationIndex({ members: 10, lessonsPushed: 2, studiedMarks: 10, membersSignedIn: 8, membersAnsweredQuiz: 3 })).toEqual({
      studied: 0.5, signedIn: 0.8, quiz: 0.3, index: 53,
    });
  });

  it("never exceeds 100 or divides by zero", () => {
    expect(participationIndex({ members: 2, lessonsPushed: 1, studiedMarks: 9, membersSignedIn: 2, membersAnsweredQuiz: 2 }).index).toBe(100);
    expect(participationIndex({ members: 0, lessonsPushed: 0, studiedMarks: 3, membersSignedIn: 0, membersAnsweredQuiz: 0 }).index).toBe(0);
    expect(participationIndex({ members: 5, lessonsPushed: 0, studiedMarks: 0, membersSignedIn: 5, membersAnsweredQuiz: 5 }).studied).toBe(0);
  });
});

function week(overrides: Partial<WeekInput> = {}): WeekInput {
  const { start, end } = weekBounds("2026-W48", "Asia/Shanghai");
  return {
    groupId: -1, title: "红星村 <学习> 群", weekId: "2026-W48", start, end, now: end,
    roster: [
      { userId: 1, name: "李明", joinedAt: start - 30 * DAY },
      { userId: 2, name: "张<i>三", joinedAt: start - 30 * DAY },
      { userId: 3, name: "王五", joinedAt: start - 30 * DAY },
      { userId: 4, name: "新人", joinedAt: end - DAY },
      { userId: 5, name: "下周才来", joinedAt: end + DAY },
    ],
    week: new Map([
      [1, { lessons_studied: 2, signins: 1, quiz_answers: 4, quiz_correct: 3 }],
      [2, { lessons_studied: 1, quiz_answers: 2, quiz_correct: 0 }],
    ]),
    lessons: [{ lessonId: "a", title: "选种", studied: 2 }, { lessonId: "b", title: "党员的义务 & 权利", studied: 1 }],
    lastActive: new Map([[1, end - DAY], [2, end - 20 * DAY]]),
    ...overrides,
  };
}

describe("week stats", () => {
  it("counts members who joined before the week ended, ranks the active, lists the inactive", () => {
    const s = summariseWeek(week());
    expect(s.members).toBe(4);
    expect(s.lessons.map((l) => l.share)).toEqual([0.5, 0.25]);
    expect(s.top.map((m) => [m.name, m.score])).toEqual([["李明", 7], ["张<i>三", 3]]);
    // 张三 last active 20 days before, 王五 never (joined 30 days before); 新人 joined yesterday.
    expect(s.inactive.map((m) => m.name).sort()).toEqual(["张<i>三", "王五"].sort());
    expect(s.quiz).toMatchObject({ answers: 6, correct: 3, members: 2 });
    expect(s.participation).toEqual(participationIndex({ members: 4, lessonsPushed: 2, studiedMarks: 3, membersSignedIn: 1, membersAnsweredQuiz: 2 }));
  });

  it("the hardest quiz questions are the three with the lowest share right", () => {
    const s = summariseWeek(week({
      quizQuestions: [
        { question: "易", answered: 10, correct: 9 },
        { question: "难", answered: 10, correct: 1 },
        { question: "没人答", answered: 0, correct: 0 },
        { question: "中", answered: 4, correct: 2 },
        { question: "较难", answered: 5, correct: 1 },
      ],
    }));
    expect(s.quiz.hardest?.map((q) => q.question)).toEqual(["难", "较难", "中"]);
  });

  it("spaced review: the share of members reviewing and the most forgotten questions, outside the participation index", () => {
    const base = week();
    const withReview = week({
      week: new Map([...base.week, [3, { reviews: 5 }], [9, { reviews: 2 }]]), // 9 left the roster: not a member
      forgotten: [{ question: "发芽试验用多少粒种子？", times: 3 }, { question: "<b>滴灌</b>", times: 1 }],
    });
    const s = summariseWeek(withReview);
    expect(s.review).toMatchObject({ members: 1, answers: 7 });
    expect(s.participation).toEqual(summariseWeek(base).participation);
    const text = formatWeekStats(s, t, "zh", "Asia/Shanghai");
    expect(text).toContain("🧠 错题复习 1/4 人（25%），共答 7 题");
    expect(text).toContain("1. 发芽试验用多少粒种子？ · 遗忘 3 次\n2. &lt;b&gt;滴灌&lt;/b&gt; · 遗忘 1 次");
    expect(formatWeekStats(summariseWeek(base), t, "zh", "Asia/Shanghai")).not.toContain("最常遗忘");
    expect(t("zh", "reports-index-formula")).toContain("不计入参与指数");
  });

  it("formats for a phone: escaped names and titles, aligned columns, '—' where a source is missing", () => {
    const text = formatWeekStats(summariseWeek(week()), t, "zh", "Asia/Shanghai");
    expect(text).toContain("红星村 &lt;学习&gt; 群");
    expect(text).toContain("张&lt;i&gt;三");
    expect(text).toContain("党员的义务 &amp; 权利");
    expect(text).not.toContain("<i>三");
    expect(text).toContain("<pre> 50%   2  选种\n 25%   1  党员的义务 &amp; 权利</pre>");
    expect(text).toContain("已答复 — 个");
    expect(text).toContain("平均正确率 50%");
    expect(text).toContain("两周没有参与：2 人");
    expect(text.length).toBeLessThan(1500);
    const withSources = formatWeekStats(
      summariseWeek(week({
        sessions: [{ id: 1, title: "周一学习会", openedAt: 0, signed: 3, late: 1, excused: 1, absent: 0, eligible: 4 }],
        questions: { asked: 3, answered: 2, medianFirstAnswerMs: 90 * 60_000, helpful: 1, notHelpful: 0 },
      })),
      t, "zh", "Asia/Shanghai",
    );
    expect(withSources).toContain(" 75%     3/4  周一学习会");
    expect(withSources).toContain("已答复 2 个，首次答复中位时间 1h 30m");
  });

  it("the group's copy (names: false) keeps the counts and leaves every member's name out", () => {
    const stats = summariseWeek(week());
    const full = formatWeekStats(stats, t, "zh", "Asia/Shanghai");
    const group = formatWeekStats(stats, t, "zh", "Asia/Shanghai", { names: false });
    const names = [...stats.top, ...stats.inactive].map((m) => m.name);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(full).toContain(escapeHtml(clip(name, 16)));
    for (const name of names) expect(group).not.toContain(escapeHtml(clip(name, 16)));
    expect(group).toContain("两周没有参与：2 人");
    expect(group).toContain("本周推送 2 节课");
  });

  it("helpers: percentages padded, text clipped on characters, durations short", () => {
    expect(pct(0.5)).toBe(" 50%");
    expect(pct(1)).toBe("100%");
    expect(clip("党员的义务与权利责任", 5)).toBe("党员的义…");
    expect(duration(35 * 60_000)).toBe("35m");
    expect(duration(3 * DAY)).toBe("3d");
  });
});

describe("CSV", () => {
  it("quotes commas, quotes and line breaks, and defuses formulas", () => {
    expect(csvField('赵,四 "老赵"')).toBe('"赵,四 ""老赵"""');
    expect(csvField("a\nb")).toBe('"a\nb"');
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvField(-5)).toBe("-5");
  });

  it("one row per roster member plus members who left but took part, summed over weeks, readable back", () => {
    const roster = [{ userId: 1, name: "李明", joinedAt: 0 }, { userId: 2, name: "x,\"y\"\nz", joinedAt: 0 }];
    const rows = exportRows(roster, { "9": "已离开" }, [
      new Map([[1, { lessons_studied: 1, signins: 2 }], [9, { quiz_answers: 3 }]]),
      new Map([[1, { lessons_studied: 2, questions_asked: 1 }]]),
    ]);
    const back = parseCsv(toCsv(rows));
    expect(back[0]?.slice(0, 7)).toEqual(["user_id", "name", "lessons_studied", "signins", "quiz_answers", "quiz_correct", "questions_asked"]);
    expect(back.slice(1).map((r) => r.slice(0, 7))).toEqual([
      ["2", "x,\"y\"\nz", "0", "0", "0", "0", "0"],
      ["1", "李明", "3", "2", "0", "0", "1"],
      ["9", "已离开", "0", "0", "3", "0", "0"],
    ]);
    expect(back[3]?.at(-1)).toBe("0");
    expect(toCsv(rows).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });
});

describe("weekly chart", () => {
  it("renders a PNG sized for a phone, with or without lessons", async () => {
    const { renderWeekChart } = await import("../../src/reports/chart.js");
    const pino = (await import("pino")).default;
    const base = {
      title: "红星村 · 2026-W48", days: ["周一", "周二", "周三", "周四", "周五", "周六", "周日"],
      series: [{ name: "学习", values: [1, 2, 3, 0, 0, 1, 0] }], lessonsTitle: "各课程学习率", noLessons: "本周没有推送课程",
    };
    for (const lessons of [[], [{ title: "选种", share: 0.5 }]]) {
      const png = await renderWeekChart({ ...base, lessons }, pino({ level: "silent" }));
      expect(png.subarray(1, 4).toString()).toBe("PNG");
      expect(png.readUInt32BE(16)).toBe(1080); // IHDR width
    }
  });
});

describe("county report text", () => {
  it("ranks, shows the change with its sign, escapes titles, caps the table and explains the index", async () => {
    const { formatCountyReport } = await import("../../src/reports/county-report.js");
    const { DEFAULT_SCHEDULE } = await import("../../src/content/index.js");
    const rows = Array.from({ length: 35 }, (_, i) => ({
      rank: i + 1,
      group: {
        id: -i, title: i === 0 ? "A<b>&村" : `村${i}`, type: "supergroup" as const, isForum: false, active: true, locale: "zh" as const,
        timeZone: "Asia/Shanghai", registeredAt: 0, tracksOff: [], schedule: DEFAULT_SCHEDULE, scheduleUpdatedAt: 0,
      },
      members: 60, lessons: 3, parts: { studied: 0, signedIn: 0, quiz: 0, index: 90 - i }, change: i === 0 ? 5 : -2,
    }));
    const text = formatCountyReport(rows, "2026-W48", t, "zh");
    expect(text).toContain(" 90   +5   60  A&lt;b&gt;&amp;村");
    expect(text).toContain(" 89   -2   60  村1");
    expect(text).not.toContain("村30\n");
    expect(text).toContain("另有 5 个群");
    expect(text).toContain("参与指数（0–100）= (学习率 + 签到率 + 答题参与率) ÷ 3 × 100");
    expect(text.length).toBeLessThan(4096);
  });
});
