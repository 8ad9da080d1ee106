import type { Dirent } from "node:fs";
import { readdir, readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { parseYaml } from "./front-matter.js";
import { parseLessonFile } from "./lesson-file.js";
import type { ContentRoot, LessonFileResult, LessonIdentity } from "./lesson-file.js";
import { BANK_ITEM_KEYS, quizBankSchema, QUIZ_HINTS } from "./quiz.schema.js";
import { DEFAULT_SCHEDULE, SCHEDULE_ENTRY_KEYS, SCHEDULE_HINTS, SCHEDULE_KEYS, scheduleSchema } from "./schedule.schema.js";
import { SURVEY_HINTS, SURVEY_KEYS, SURVEY_QUESTION_KEYS, surveySchema } from "./survey.schema.js";
import { assembleCurriculum, ContentError, TRACKS } from "./types.js";
import type { ContentProblem, Curriculum, QuizBank, Schedule, Survey, Track } from "./types.js";
import { issuesToProblems } from "./zod-problems.js";

const YAML_FILE = /\.ya?ml$/i;

export interface LoadOptions {
  /** TELEGRAM_API_ROOT is a self-hosted Bot API server: uploads up to 2000 MB, not 50. */
  selfHostedApi?: boolean;
}

/** Reads and checks CONTENT_DIR; throws ContentError listing every problem found. */
export async function loadCurriculum(dir: string, options: LoadOptions = {}): Promise<Curriculum> {
  const absolute = path.resolve(dir);
  let root: ContentRoot;
  try {
    if (!(await stat(absolute)).isDirectory()) throw new Error("not a directory");
    root = { dir: absolute, real: await realpath(absolute), selfHostedApi: options.selfHostedApi ?? false };
  } catch {
    throw new ContentError([
      {
        file: dir,
        field: "",
        message: `cannot read the content folder (${absolute}); set CONTENT_DIR to the folder that holds schedule.yaml and lessons/`,
      },
    ]);
  }
  const problems: ContentProblem[] = [];
  const [schedule, lessonFiles, quizBanks, surveys] = await Promise.all([
    loadSchedule(root, problems),
    loadLessons(root, problems),
    loadYamlFolder(root, "quizzes", problems, parseBank),
    loadYamlFolder(root, "surveys", problems, parseSurvey),
  ]);
  const lessons = lessonFiles.flatMap((r) => (r.lesson ? [r.lesson] : []));
  problems.push(...crossCheck(lessonFiles.map((r) => r.identity)));
  if (problems.length > 0) {
    throw new ContentError(problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)));
  }
  lessons.sort((a, b) => TRACKS.indexOf(a.track) - TRACKS.indexOf(b.track) || a.order - b.order);
  return assembleCurriculum(root.dir, schedule, lessons, quizBanks, surveys, lessonFiles.flatMap((r) => r.notes));
}

async function loadSchedule(root: ContentRoot, problems: ContentProblem[]): Promise<Schedule> {
  const file = "schedule.yaml";
  let text: string;
  try {
    text = await readFile(path.join(root.dir, file), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return structuredClone(DEFAULT_SCHEDULE);
    problems.push({ file, field: "", message: "cannot be read; check the file's permissions" });
    return structuredClone(DEFAULT_SCHEDULE);
  }
  const parsed = parseYaml(text);
  if (!parsed.ok) {
    problems.push({ file, field: "", message: parsed.message });
    return structuredClone(DEFAULT_SCHEDULE);
  }
  const data = parsed.data ?? {};
  const result = scheduleSchema.safeParse(data);
  if (result.success) return result.data;
  const knownKeys = (p: readonly PropertyKey[]): readonly string[] =>
    p.length === 0 ? SCHEDULE_KEYS : p.length === 2 && p[0] === "lessons" ? SCHEDULE_ENTRY_KEYS : [];
  problems.push(...issuesToProblems(file, result.error.issues, data, SCHEDULE_HINTS, knownKeys));
  return structuredClone(DEFAULT_SCHEDULE);
}

async function listDir(absolute: string): Promise<Dirent[] | undefined> {
  try {
    return (await readdir(absolute, { withFileTypes: true })).filter((e) => !e.name.startsWith("."));
  } catch {
    return undefined;
  }
}

async function loadLessons(root: ContentRoot, problems: ContentProblem[]): Promise<LessonFileResult[]> {
  const entries = await listDir(path.join(root.dir, "lessons"));
  if (!entries) {
    problems.push({
      file: "lessons/",
      field: "",
      message: "folder is missing; create lessons/<track>/01-first-lesson.md (tracks: constitution, policy, technology)",
    });
    return [];
  }
  const jobs: Promise<LessonFileResult>[] = [];
  for (const entry of entries) {
    const rel = `lessons/${entry.name}`;
    if (!entry.isDirectory()) {
      problems.push({
        file: rel,
        field: "",
        message: `is not in a track folder; move it into lessons/<track>/ (tracks: ${TRACKS.join(", ")})`,
      });
      continue;
    }
    if (!(TRACKS as readonly string[]).includes(entry.name)) {
      problems.push({
        file: `${rel}/`,
        field: "",
        message: `is not a track; rename the folder to one of ${TRACKS.join(", ")}`,
      });
      continue;
    }
    const track = entry.name as Track;
    const files = (await listDir(path.join(root.dir, "lessons", track))) ?? [];
    for (const f of files) {
      const fileRel = `${rel}/${f.name}`;
      if (!f.isFile() || !f.name.endsWith(".md")) {
        problems.push({
          file: fileRel,
          field: "",
          message: `is not a lesson; lessons are .md files named like 03-drip.md, so remove it or move it out of lessons/`,
        });
        continue;
      }
      jobs.push(
        readFile(path.join(root.dir, fileRel), "utf8").then(
          (text) => parseLessonFile(text, fileRel, track, root),
          () => ({
            identity: { file: fileRel },
            problems: [{ file: fileRel, field: "", message: "cannot be read; check the file's permissions" }],
            notes: [],
          }),
        ),
      );
    }
  }
  const results = await Promise.all(jobs);
  for (const r of results) problems.push(...r.problems);
  return results;
}

/** Ids unique across the curriculum, orders unique within a track; names every file involved. */
function crossCheck(identities: LessonIdentity[]): ContentProblem[] {
  const problems: ContentProblem[] = [];
  const check = (field: "id" | "order", key: (l: LessonIdentity) => string | undefined, fix: string): void => {
    const groups = new Map<string, LessonIdentity[]>();
    for (const l of identities) {
      const k = key(l);
      if (k !== undefined) groups.set(k, [...(groups.get(k) ?? []), l]);
    }
    for (const [k, group] of groups) {
      if (group.length < 2) continue;
      const shown = field === "id" ? JSON.stringify(k) : (k.split("/")[1] ?? k);
      for (const lesson of group) {
        const others = group.filter((l) => l !== lesson).map((l) => l.file);
        problems.push({ file: lesson.file, field, message: `${shown} is also used by ${others.join(", ")}; ${fix}` });
      }
    }
  };
  check("id", (l) => l.id, "give each lesson its own id");
  check("order", (l) => l.trackOrder, "give each lesson in a track its own order");
  return problems;
}

type YamlParser<T> = (data: unknown, name: string, file: string) => { value?: T; problems: ContentProblem[] };

async function loadYamlFolder<T>(
  root: ContentRoot,
  folder: "quizzes" | "surveys",
  problems: ContentProblem[],
  parse: YamlParser<T>,
): Promise<T[]> {
  const entries = (await listDir(path.join(root.dir, folder))) ?? [];
  const names = new Map<string, string>();
  const jobs: Promise<T | undefined>[] = [];
  for (const entry of entries) {
    const file = `${folder}/${entry.name}`;
    if (!entry.isFile() || !YAML_FILE.test(entry.name)) {
      problems.push({ file, field: "", message: `is not a .yaml file; remove it or move it out of ${folder}/` });
      continue;
    }
    const name = entry.name.replace(YAML_FILE, "");
    const earlier = names.get(name);
    if (earlier) {
      problems.push({ file, field: "", message: `has the same name as ${earlier}; rename or remove one of them` });
      continue;
    }
    names.set(name, file);
    jobs.push(
      readFile(path.join(root.dir, file), "utf8").then(
        (text) => {
          const parsed = parseYaml(text);
          if (!parsed.ok) {
            problems.push({ file, field: "", message: parsed.message });
            return undefined;
          }
          const result = parse(parsed.data, name, file);
          problems.push(...result.problems);
          return result.value;
        },
        () => {
          problems.push({ file, field: "", message: "cannot be read; check the file's permissions" });
          return undefined;
        },
      ),
    );
  }
  return (await Promise.all(jobs)).filter((v): v is Awaited<T> => v !== undefined);
}

function parseBank(data: unknown, name: string, file: string): { value?: QuizBank; problems: ContentProblem[] } {
  if (data === null || data === undefined) {
    return { problems: [{ file, field: "", message: "is empty; add a list of questions (`- question: …`)" }] };
  }
  const result = quizBankSchema.safeParse(data);
  if (result.success) return { value: { name, items: result.data, file }, problems: [] };
  const knownKeys = (p: readonly PropertyKey[]): readonly string[] => (p.length === 1 ? BANK_ITEM_KEYS : []);
  return { problems: issuesToProblems(file, result.error.issues, data, QUIZ_HINTS, knownKeys) };
}

function parseSurvey(data: unknown, name: string, file: string): { value?: Survey; problems: ContentProblem[] } {
  const input = data ?? {};
  const result = surveySchema.safeParse(input);
  if (!result.success) {
    const knownKeys = (p: readonly PropertyKey[]): readonly string[] =>
      p.length === 0 ? SURVEY_KEYS : p.length === 2 && p[0] === "questions" ? SURVEY_QUESTION_KEYS : [];
    return { problems: issuesToProblems(file, result.error.issues, input, SURVEY_HINTS, knownKeys) };
  }
  const questions = result.data.questions.map((q) => ({
    question: q.question,
    options: q.options,
    allows_multiple_answers: q.multiple,
    ...(q.topics ? { topics: q.topics } : {}),
  }));
  return { value: { name, title: result.data.title, questions, file }, problems: [] };
}
