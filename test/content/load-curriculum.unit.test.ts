import { chmod } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ContentError, DEFAULT_SCHEDULE, formatProblem, loadCurriculum } from "../../src/content/index.js";
import { contentDir, GOOD_QUIZ, lesson } from "./fixtures.js";

const SAMPLE = path.resolve(import.meta.dirname, "../../content");

async function problemsOf(dir: string): Promise<string[]> {
  try {
    await loadCurriculum(dir);
  } catch (error) {
    if (error instanceof ContentError) return error.problems.map(formatProblem);
    throw error;
  }
  throw new Error("expected a ContentError");
}

const good = (id: string, track: string, order: number, extra = ""): string =>
  lesson(`id: ${id}\ntrack: ${track}\ntitle: 标题\norder: ${order}\n${extra}`);

describe("loadCurriculum on the sample curriculum", () => {
  it("loads every lesson, bank and survey with the schedule from PRODUCT.md", async () => {
    const c = await loadCurriculum(SAMPLE);
    expect(c.lessons).toHaveLength(17);
    expect(c.byTrack.constitution).toHaveLength(6);
    expect(c.byTrack.policy).toHaveLength(5);
    expect(c.byTrack.technology).toHaveLength(6);
    expect([...c.quizBanks.keys()].sort()).toEqual(["contest-basics", "practice-technology"]);
    expect(c.quizBanks.get("contest-basics")?.items.length).toBeGreaterThanOrEqual(10);
    expect([...c.surveys.keys()].sort()).toEqual(["needs", "satisfaction"]);
    expect(c.schedule).toEqual(DEFAULT_SCHEDULE);
    expect(c.lessons.some((l) => l.audience === "secretaries")).toBe(true);
    expect(c.lessons.find((l) => l.imagePath)?.imagePath).toBe(path.join(SAMPLE, "images/drip-line.png"));
    for (const l of c.lessons) expect(l.quiz.length).toBeGreaterThanOrEqual(3);
    // One lesson of each medium, with what the content check read from the files.
    expect(c.lessons.flatMap((l) => l.media.map((m) => `${l.id} ${m.field} ${m.kind}`)).sort()).toEqual([
      "constitution-06 voice voice",
      "policy-05 documents.0 document",
      "technology-02 image photo",
      "technology-06 video video",
    ]);
    expect(c.byId.get("technology-06")?.media[0]).toMatchObject({ duration: 3, width: 320, height: 180 });
    expect(c.byId.get("constitution-06")?.media[0]).toMatchObject({ duration: 4 });
  });

  it("orders each track by `order`", async () => {
    const c = await loadCurriculum(SAMPLE);
    for (const lessons of Object.values(c.byTrack)) {
      expect(lessons.map((l) => l.order)).toEqual([...lessons.map((l) => l.order)].sort((a, b) => a - b));
    }
  });

  it("a decimal order places a lesson between two without renumbering them", async () => {
    const dir = await contentDir({
      "lessons/policy/01-a.md": good("a", "policy", 1, GOOD_QUIZ),
      "lessons/policy/02-b.md": good("b", "policy", 2, GOOD_QUIZ),
      "lessons/policy/01.5-between.md": good("between", "policy", 1.5, GOOD_QUIZ),
    });
    expect((await loadCurriculum(dir)).byTrack.policy.map((l) => l.id)).toEqual(["a", "between", "b"]);
  });

  it("reads three hundred lesson files", async () => {
    const files: Record<string, string> = {};
    for (let i = 1; i <= 300; i++) {
      const track = ["constitution", "policy", "technology"][i % 3] ?? "policy";
      files[`lessons/${track}/${String(i).padStart(3, "0")}-x.md`] = good(`l-${i}`, track, i, GOOD_QUIZ);
    }
    const dir = await contentDir(files);
    const c = await loadCurriculum(dir);
    expect(c.lessons).toHaveLength(300);
    expect(c.byTrack.constitution.map((l) => l.order)).toEqual([...c.byTrack.constitution.map((l) => l.order)].sort((a, b) => a - b));
  });
});

describe("loadCurriculum defaults", () => {
  it("uses the default schedule when schedule.yaml is missing, and audience all by default", async () => {
    const c = await loadCurriculum(await contentDir({ "lessons/policy/01-a.md": good("p1", "policy", 1) }));
    expect(c.schedule.lessons.map((l) => l.cron)).toEqual(["0 20 * * 1", "0 20 * * 3", "0 20 * * 5"]);
    expect(c.schedule.quiz_after_minutes).toBe(60);
    expect(c.byId.get("p1")?.audience).toBe("all");
    expect(c.byId.get("p1")?.quiz).toEqual([]);
  });

  it("fills durations that schedule.yaml leaves out and accepts six-field cron", async () => {
    const dir = await contentDir({
      "schedule.yaml": 'lessons:\n  - { track: policy, cron: "30 0 20 * * 2" }\nsignin_late_after: 5\n',
      "lessons/policy/01-a.md": good("p1", "policy", 1),
      "quizzes/extra.yml": "- question: q\n  options: [a, b]\n  answer: 1\n",
    });
    const c = await loadCurriculum(dir);
    expect(c.schedule.signin_late_after).toBe(5);
    expect(c.schedule.signin_with_lesson).toBe(120);
    expect(c.schedule.weekly_report).toBe("0 8 * * 1");
    expect(c.quizBanks.get("extra")?.items[0]?.answer).toBe(1);
  });
});

describe("loadCurriculum reports bad content as file: field: message", () => {
  it("an answer out of range, naming the range to use", async () => {
    const dir = await contentDir({
      "lessons/technology/03-drip.md": good(
        "technology-03",
        "technology",
        3,
        "quiz:\n  - question: 多久冲洗一次？\n    options: [每天, 两周, 一年]\n    answer: 5",
      ),
    });
    expect(await problemsOf(dir)).toEqual([
      "lessons/technology/03-drip.md: quiz.0.answer: is 5 but there are 3 options; use 0 to 2 (counting from 0)",
    ]);
  });

  it("a bad cron expression, with the field that is out of range", async () => {
    const dir = await contentDir({
      "schedule.yaml": 'lessons:\n  - { track: policy, cron: "0 20 * * 1" }\n  - { track: policy, cron: "0 25 * * 1" }\n',
      "lessons/policy/01-a.md": good("p1", "policy", 1),
    });
    expect(await problemsOf(dir)).toEqual([
      'schedule.yaml: lessons.1.cron: "0 25 * * 1" is not a valid cron expression (hour must be 0-23); use five fields (minute hour day month weekday) or six with seconds first',
    ]);
  });

  it("every problem in every file, not just the first", async () => {
    const dir = await contentDir({
      "schedule.yaml": "quiz_after_minutes: -1\nweekly_reprot: x\n",
      "lessons/technology/01-a.md": good("dup", "technology", 1),
      "lessons/technology/02-b.md": lesson("id: dup\ntrack: policy\ntitel: x\norder: 1\naudience: leaders"),
      "lessons/technology/03-c.md": good("c", "technology", 3, "image: ../escape.png"),
      "lessons/technology/04-d.md": good("d", "technology", 4, "image: images/missing.jpg"),
      "lessons/technology/05-e.md": good("e", "technology", 5, "image: images/pic.gif"),
      "lessons/technology/06-f.md": "---\nid: f\ntitle: [oops\norder: 6\n---\ntext\n",
      "lessons/technology/07-g.md": "no front matter\n",
      "lessons/technology/08-h.md": lesson("id: h\ntrack: technology\ntitle: ' '\norder: 8", "   "),
      "lessons/technology/notes.txt": "x",
      "lessons/history/01-x.md": good("x", "policy", 1),
      "quizzes/bank.yaml": "- question: q\n  options: [same, same]\n  answer: 0\n  trak: policy\n",
      "surveys/s.yaml": "title: 调查\nquestions:\n  - question: q\n    options: [a]\n",
    });
    const problems = await problemsOf(dir);
    const expected = [
      "lessons/history/: is not a track; rename the folder to one of constitution, policy, technology",
      'lessons/technology/01-a.md: id: "dup" is also used by lessons/technology/02-b.md; give each lesson its own id',
      'lessons/technology/02-b.md: titel: is not a known field; did you mean "title"?',
      "lessons/technology/02-b.md: title: is missing; add it",
      'lessons/technology/02-b.md: audience: is "leaders"; use one of: all, secretaries',
      "lessons/technology/02-b.md: track: is policy but the file is in lessons/technology/; move the file to lessons/policy/ or set track: technology",
      'lessons/technology/03-c.md: image: "../escape.png" points outside the content folder',
      'lessons/technology/04-d.md: image: "images/missing.jpg" does not exist',
      'lessons/technology/05-e.md: image: is "images/pic.gif"; use a .jpg, .jpeg, .png or .webp picture',
      "lessons/technology/06-f.md: front matter is not valid YAML at line",
      "lessons/technology/07-g.md: has no front matter; start the file with a line `---`",
      "lessons/technology/08-h.md: title: is empty",
      "lessons/technology/08-h.md: body: is empty; write the lesson text after the closing `---`",
      "lessons/technology/notes.txt: is not a lesson",
      'quizzes/bank.yaml: 0.options.1: repeats option 0 ("same"); make every option different',
      'quizzes/bank.yaml: 0.trak: is not a known field; did you mean "track"?',
      "schedule.yaml: quiz_after_minutes: is -1; use a whole number of at least 0",
      'schedule.yaml: weekly_reprot: is not a known field; did you mean "weekly_report"?',
      "surveys/s.yaml: questions.0.options: has 1 item; give at least 2",
    ];
    for (const start of expected) expect(problems.some((p) => p.startsWith(start)), start).toBe(true);
    for (const p of problems) {
      expect(p).not.toMatch(/\n|at .*\.ts:\d+|"code":/); // one line, no stack trace, no zod JSON
      expect(p).toMatch(/^[^:]+: .+; /); // what is wrong; then the fix
    }
  });

  it("two lessons with the same order in a track, naming both files", async () => {
    const dir = await contentDir({
      "lessons/policy/01-a.md": good("a", "policy", 1),
      "lessons/policy/01-b.md": good("b", "policy", 1),
    });
    expect(await problemsOf(dir)).toEqual([
      "lessons/policy/01-a.md: order: 1 is also used by lessons/policy/01-b.md; give each lesson in a track its own order",
      "lessons/policy/01-b.md: order: 1 is also used by lessons/policy/01-a.md; give each lesson in a track its own order",
    ]);
  });

  it("poll limits: question length, option count and option length", async () => {
    const options = Array.from({ length: 11 }, (_, i) => `"o${i}"`).join(", ");
    const dir = await contentDir({
      "lessons/policy/01-a.md": good("a", "policy", 1),
      "quizzes/limits.yaml": [
        `- question: "${"问".repeat(301)}"\n  options: [a, b]\n  answer: 0`,
        `- question: q\n  options: [${options}]\n  answer: 0`,
        `- question: q\n  options: [a, "${"长".repeat(101)}"]\n  answer: 1.5`,
      ].join("\n"),
    });
    expect(await problemsOf(dir)).toEqual([
      "quizzes/limits.yaml: 0.question: is 301 characters long; shorten it to at most 300 (Telegram's limit)",
      "quizzes/limits.yaml: 1.options: has 11 items; give at most 10 (Telegram's limit)",
      "quizzes/limits.yaml: 2.options.1: is 101 characters long; shorten it to at most 100 (Telegram's limit)",
      "quizzes/limits.yaml: 2.answer: is 1.5 but must be a whole number (the zero-based index of the correct option, e.g. `answer: 0` for the first)",
    ]);
  });

  it("a missing content folder is one clear problem", async () => {
    const problems = await problemsOf("/nonexistent/sanxue-content");
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^\/nonexistent\/sanxue-content: cannot read the content folder .*; set CONTENT_DIR/);
  });

  it("an unreadable lesson is reported, not thrown", async () => {
    if (process.getuid?.() === 0) return; // root reads everything
    const dir = await contentDir({ "lessons/policy/01-a.md": good("a", "policy", 1) });
    await chmod(path.join(dir, "lessons/policy/01-a.md"), 0);
    expect(await problemsOf(dir)).toEqual(["lessons/policy/01-a.md: cannot be read; check the file's permissions"]);
  });
});
