import { describe, expect, it } from "vitest";
import { loadCurriculum } from "../../src/content/index.js";
import { ContentError } from "../../src/content/types.js";
import { isPossibleAnswer, practicePool, resolveQuestion, shuffle } from "../../src/quizzes/quiz-items.js";
import { FIXTURE_CONTENT } from "../support/scene.js";
import { contentDir, lesson } from "../content/fixtures.js";

describe("questions from the content", () => {
  it("practice for a track takes that track's lessons and bank items only", async () => {
    const c = await loadCurriculum(FIXTURE_CONTENT);
    const pool = practicePool(c, "technology");
    expect(pool).toContain("L|technology-01|0");
    expect(pool).toContain("L|technology-01|1");
    expect(pool).toContain("B|village-basics|0");
    expect(pool).not.toContain("B|village-basics|1"); // a constitution item
    expect(pool).not.toContain("B|village-basics|3"); // no track: only in "all tracks"
    expect(pool.every((ref) => !ref.startsWith("L|constitution"))).toBe(true);
    expect(practicePool(c)).toContain("B|village-basics|3");
  });

  it("practice leaves out a group organiser's lesson: it reaches only its own group", async () => {
    const c = await loadCurriculum(FIXTURE_CONTENT);
    const own = c.lessons.find((l) => l.id === "technology-01");
    if (!own) throw new Error("fixture lesson missing");
    const groupOnly = { ...c, lessons: c.lessons.map((l) => (l === own ? { ...l, groupId: -100123 } : l)) };
    expect(practicePool(groupOnly, "technology").some((ref) => ref.startsWith("L|technology-01|"))).toBe(false);
    expect(practicePool(groupOnly).some((ref) => ref.startsWith("L|technology-01|"))).toBe(false);
    expect(practicePool(c, "technology")).toContain("L|technology-01|0");
  });

  it("a reference resolves to the question, or to nothing when the content changed", async () => {
    const c = await loadCurriculum(FIXTURE_CONTENT);
    expect(resolveQuestion(c, "L|technology-01|1")?.item.answer).toBe(1);
    expect(resolveQuestion(c, "L|technology-01|7")).toBeUndefined();
    expect(resolveQuestion(c, "B|nope|0")).toBeUndefined();
    expect(resolveQuestion(c, "X|technology-01|0")).toBeUndefined();
  });

  it("shuffle keeps every item exactly once", () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const out = shuffle(items);
    expect([...out].sort((a, b) => a - b)).toEqual(items);
  });
});

describe("quiz content rules (checked at load time)", () => {
  async function problems(files: Record<string, string>): Promise<string[]> {
    try {
      await loadCurriculum(
        await contentDir({
          "lessons/technology/01-a.md": lesson("id: a\ntrack: technology\ntitle: A\norder: 1"),
          ...files,
        }),
      );
      return [];
    } catch (err) {
      if (err instanceof ContentError) return err.message.split("\n");
      throw err;
    }
  }

  it("fewer than two options is refused with the file, the field and the fix", async () => {
    expect(await problems({ "quizzes/b.yaml": "- question: q\n  options: [only]\n  answer: 0\n" })).toEqual([
      "quizzes/b.yaml: 0.options: has 1 item; give at least 2",
    ]);
  });

  it("an explanation over 200 characters is refused", async () => {
    const quiz = `quiz:\n  - question: q\n    options: [a, b]\n    answer: 0\n    explanation: "${"解".repeat(201)}"`;
    const found = await problems({
      "lessons/policy/01-p.md": lesson(`id: p\ntrack: policy\ntitle: P\norder: 1\n${quiz}`),
    });
    expect(found).toEqual([
      "lessons/policy/01-p.md: quiz.0.explanation: is 201 characters long; shorten it to at most 200 (Telegram's limit)",
    ]);
  });

  it("limits that fit are accepted: ten options, 300-character question, answer at the last index", async () => {
    const options = Array.from({ length: 10 }, (_, i) => `"o${i}"`).join(", ");
    expect(
      await problems({
        "quizzes/ok.yaml": `- question: "${"问".repeat(300)}"\n  options: [${options}]\n  answer: 9\n`,
      }),
    ).toEqual([]);
  });
});

describe("isPossibleAnswer", () => {
  const curriculum = {
    byId: new Map([["l1", { quiz: [{ question: "q", options: ["a", "b", "c"], answer: 0 }] }]]),
    quizBanks: new Map(),
  } as unknown as Parameters<typeof isPossibleAnswer>[0];

  it("accepts one option in range, and any single option when the content no longer has the question", () => {
    expect(isPossibleAnswer(curriculum, "L|l1|0", [2])).toBe(true);
    expect(isPossibleAnswer(curriculum, "L|gone|0", [7])).toBe(true);
  });

  it("refuses what a quiz poll cannot send: several options, out of range, negative, fractions", () => {
    for (const ids of [[0, 1], [3], [99], [-1], [0.5], []]) expect(isPossibleAnswer(curriculum, "L|l1|0", ids), String(ids)).toBe(false);
  });
});
