import { describe, expect, it } from "vitest";
import { formatBoard, rankBoard, scoreOf, type BoardRow } from "../../src/scores/index.js";
import { rowOf } from "../../src/scores/leaderboard.js";
import type { Translate } from "../../src/shared/i18n.js";

const t: Translate = (_l, key, vars) => {
  if (key === "scores-board-detail") return `L${vars?.studied}·S${vars?.signins}·Q${vars?.points}`;
  return key;
};

describe("leaderboard score", () => {
  it("is 10 per lesson studied, 10 per sign-in, plus quiz points", () => {
    expect(
      scoreOf({ lessons_studied: 3, signins: 2, quiz_points: 27, quiz_answers: 4, quiz_correct: 2 }),
    ).toBe(77);
    expect(scoreOf({})).toBe(0);
    expect(scoreOf({ signins_late: 5, excused: 1, questions_asked: 3 })).toBe(0);
  });
});

describe("leaderboard order", () => {
  it("orders by score, then more lessons studied, then name, then user id", () => {
    const rows = rankBoard([
      rowOf(1, "乙", { quiz_points: 30 }), // 30, studied 0
      rowOf(2, "甲", { lessons_studied: 3 }), // 30, studied 3
      rowOf(3, "丙", { lessons_studied: 5 }), // 50
      rowOf(4, "Bob", { lessons_studied: 1, quiz_points: 20 }), // 30, studied 1
      rowOf(5, "Amy", { lessons_studied: 1, quiz_points: 20 }), // same as Bob
      rowOf(6, "Amy", { lessons_studied: 1, quiz_points: 20 }), // same name as 5: user id decides
    ]);
    expect(rows.map((r) => r.userId)).toEqual([3, 2, 5, 6, 4, 1]);
    expect(rows.map((r) => r.rank)).toEqual([1, 2, 3, 3, 3, 6]);
  });

  it("the same input in any order gives the same board", () => {
    const input = [
      rowOf(1, "a", { signins: 1 }),
      rowOf(2, "b", { signins: 1 }),
      rowOf(3, "a", { signins: 1 }),
    ];
    const once = rankBoard(input).map((r) => r.userId);
    expect(rankBoard([...input].reverse()).map((r) => r.userId)).toEqual(once);
    expect(once).toEqual([1, 3, 2]);
  });
});

describe("leaderboard text", () => {
  const board = (n: number): BoardRow[] =>
    rankBoard(
      Array.from({ length: n }, (_, i) =>
        rowOf(i + 1, `member ${i + 1}`, { lessons_studied: n - i, quiz_points: i % 3 }),
      ),
    );

  it("escapes names and aligns ranks and scores in monospace", () => {
    const rows = rankBoard([
      rowOf(1, "<i>Tom</i>&Co", { lessons_studied: 12 }),
      rowOf(2, "李明", { lessons_studied: 1 }),
    ]);
    const text = formatBoard(t, "zh", { title: "T", rows });
    expect(text).toContain("&lt;i&gt;Tom&lt;/i&gt;&amp;Co");
    expect(text).not.toContain("<i>Tom");
    const codes = [...text.matchAll(/<code>([^<]*)<\/code>/g)].map((m) => m[1]);
    expect(codes).toEqual(["1. 120", "2.  10"]);
  });

  it("shows the top 10 and the caller's own line when outside", () => {
    const rows = board(14);
    const text = formatBoard(t, "zh", { title: "T", rows, callerId: 13 });
    const lines = text.split("\n").filter((l) => l.startsWith("<code>"));
    expect(lines).toHaveLength(11);
    expect(lines.at(-1)).toContain("<b>member 13</b>");
    expect(lines.at(-1)).toContain("<code>13.");
    expect(text).toContain("…");
    expect(text).toContain("scores-rule");
  });

  it("a caller inside the top 10 is not shown twice; a caller without score is told so", () => {
    const rows = board(5);
    expect(formatBoard(t, "zh", { title: "T", rows, callerId: 2 }).match(/member 2\b/g)).toHaveLength(1);
    expect(formatBoard(t, "zh", { title: "T", rows, callerId: 99 })).toContain("scores-board-you-none");
  });

  it("lines stay short enough for a phone; a long name gets its own line, whole", () => {
    const name = "很长很长很长很长很长很长很长很长的名字";
    const rows = rankBoard([rowOf(1, name, { lessons_studied: 100, signins: 100, quiz_points: 9999 })]);
    const lines = formatBoard(t, "zh", { title: "T", rows }).split("\n").slice(1, 3).map((l) => l.replace(/<[^>]+>/g, ""));
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(45);
    expect(lines[0]).toBe(`1. 11999 ${name}`);
    expect(lines[1]).toContain("L100");
  });

  it("a name with an emoji at the old cut point is kept whole, never half a surrogate pair", () => {
    const rows = rankBoard([rowOf(1, "AAAAAAAAAAAAA😀B", { lessons_studied: 1 }), rowOf(2, "👨‍👩‍👧‍👦", { signins: 1 })]);
    const text = formatBoard(t, "zh", { title: "T", rows });
    expect(text).toContain("AAAAAAAAAAAAA😀B");
    expect(text).toContain("👨‍👩‍👧‍👦");
    expect(text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it("an empty board says so and still shows the rule", () => {
    const text = formatBoard(t, "zh", { title: "T", rows: [] });
    expect(text).toContain("scores-board-empty");
    expect(text).toContain("scores-rule");
  });
});
