import { describe, expect, it } from "vitest";
import { quizPoints } from "../../src/quizzes/index.js";
import {
  fastestCorrect,
  formatPodium,
  formatQuizResults,
  podiumOrder,
  type RankedMember,
} from "../../src/quizzes/quizzes.texts.js";
import type { Translate } from "../../src/shared/i18n.js";

const t: Translate = (_l, key, vars) => `${key}${vars ? JSON.stringify(vars) : ""}`;
const member = (userId: number, name: string, s: Partial<RankedMember> = {}): RankedMember => ({
  userId,
  name,
  answers: 1,
  correct: 0,
  points: 0,
  ms: 0,
  ...s,
});

describe("quiz points", () => {
  it("a wrong answer earns nothing, however fast", () => {
    expect(quizPoints(false, 0, 600_000)).toBe(0);
  });

  it("a right answer earns 10, plus up to 5 for speed", () => {
    expect(quizPoints(true, 0, 600_000)).toBe(15);
    expect(quizPoints(true, 59_000, 600_000)).toBe(15); // within the first tenth
    expect(quizPoints(true, 300_000, 600_000)).toBe(13); // half-way: 2.5 rounds up
    expect(quizPoints(true, 480_000, 600_000)).toBe(11);
    expect(quizPoints(true, 600_000, 600_000)).toBe(10);
  });

  it("late or odd timings stay within 10..15", () => {
    expect(quizPoints(true, 10 * 600_000, 600_000)).toBe(10);
    expect(quizPoints(true, -5_000, 600_000)).toBe(15);
    expect(quizPoints(true, 1_000, 0)).toBe(10);
  });
});

describe("quiz results", () => {
  it("the fastest right answerers: most right, then least time, then user id", () => {
    const members = [
      member(1, "a", { correct: 1, ms: 500 }),
      member(2, "b", { correct: 2, ms: 9_000 }),
      member(3, "c", { correct: 1, ms: 400 }),
      member(4, "d", { correct: 0 }),
      member(5, "e", { correct: 1, ms: 400 }),
    ];
    expect(fastestCorrect(members).map((m) => m.userId)).toEqual([2, 3, 5]);
  });

  it("the podium: points, then right answers, then speed", () => {
    const members = [
      member(1, "a", { points: 20, correct: 2, ms: 900 }),
      member(2, "b", { points: 25, correct: 2, ms: 5_000 }),
      member(3, "c", { points: 20, correct: 2, ms: 800 }),
    ];
    expect(podiumOrder(members).map((m) => m.userId)).toEqual([2, 3, 1]);
  });

  it("results name the participants, the share right and escape names", () => {
    const text = formatQuizResults(t, "zh", "A & B", 2, [
      member(1, "<b>x</b>", { answers: 2, correct: 2, ms: 3_000 }),
      member(2, "y", { answers: 2, correct: 1, ms: 1_000 }),
    ]);
    expect(text).toContain('"title":"A &amp; B"');
    expect(text).toContain('"participants":2,"share":75');
    expect(text).toContain("🥇 &lt;b&gt;x&lt;/b&gt;");
    expect(text).not.toContain("<b>x");
    expect(text.indexOf("&lt;b&gt;x")).toBeLessThan(text.indexOf("🥈 y"));
  });

  it("nobody answered: a clear line, no podium", () => {
    expect(formatQuizResults(t, "zh", "L", 1, [])).toContain("quizzes-results-nobody");
    expect(formatPodium(t, "zh", "bank", 3, [])).toContain("quizzes-results-nobody");
  });
});
