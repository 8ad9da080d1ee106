import { describe, expect, it } from "vitest";
import { ContentError, formatProblem, loadCurriculum } from "../../src/content/index.js";
import { contentDir, lesson } from "./fixtures.js";

async function problemsOf(files: Record<string, string>): Promise<string[]> {
  try {
    await loadCurriculum(await contentDir(files));
  } catch (error) {
    if (error instanceof ContentError) return error.problems.map(formatProblem);
    throw error;
  }
  throw new Error("expected a ContentError");
}

const LESSON = lesson("id: t1\ntrack: technology\ntitle: 标题\norder: 1\ntopics: [Greenhouse, irrigation]");

describe("topics in lessons and survey options", () => {
  it("reads a lesson's topics (lower case) and a survey question's topics per option", async () => {
    const c = await loadCurriculum(
      await contentDir({
        "lessons/technology/01-a.md": LESSON,
        "surveys/needs.yaml": "title: 调查\nquestions:\n  - question: q\n    options: [a, b, c]\n    topics: [~, greenhouse, [pigs, Poultry]]\n",
      }),
    );
    expect(c.byId.get("t1")?.topics).toEqual(["greenhouse", "irrigation"]);
    expect(c.surveys.get("needs")?.questions[0]?.topics).toEqual([[], ["greenhouse"], ["pigs", "poultry"]]);
  });

  it("a lesson without topics has none, a survey question without topics has no mapping", async () => {
    const c = await loadCurriculum(
      await contentDir({
        "lessons/policy/01-a.md": lesson("id: p1\ntrack: policy\ntitle: 标题\norder: 1"),
        "surveys/s.yaml": "title: 调查\nquestions:\n  - question: q\n    options: [a, b]\n",
      }),
    );
    expect(c.byId.get("p1")?.topics).toEqual([]);
    expect(c.surveys.get("s")?.questions[0]?.topics).toBeUndefined();
  });

  it("a survey topics list of the wrong length is reported with the file, the field and the fix", async () => {
    const problems = await problemsOf({
      "lessons/technology/01-a.md": LESSON,
      "surveys/needs.yaml": "title: 调查\nquestions:\n  - question: q\n    options: [a, b, c]\n    topics: [~, greenhouse]\n",
    });
    expect(problems).toEqual([
      "surveys/needs.yaml: questions.0.topics: has 2 entries but there are 3 options; give one entry per option, in the same order (a topic, a list of topics, or ~ for none)",
    ]);
  });

  it("an empty topic is reported", async () => {
    const problems = await problemsOf({ "lessons/technology/01-a.md": lesson('id: t1\ntrack: technology\ntitle: 标题\norder: 1\ntopics: [""]') });
    expect(problems.join("\n")).toMatch(/lessons\/technology\/01-a\.md: topics/);
  });

  it("a wrong elective track in schedule.yaml is reported", async () => {
    const problems = await problemsOf({ "lessons/technology/01-a.md": LESSON, "schedule.yaml": "elective_tracks: [farming]\n" });
    expect(problems.join("\n")).toMatch(/schedule\.yaml: elective_tracks\.0/);
  });
});
