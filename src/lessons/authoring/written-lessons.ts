import { TRACKS } from "../../content/index.js";
import type { Curriculum, Lesson, LessonMedia } from "../../content/index.js";
import type { Logger } from "../../shared/logger.js";
import type { AuthoringRepository } from "./authoring.repository.js";
import type { WrittenLesson } from "./authoring.types.js";

export type { WrittenLesson, WrittenMedia } from "./authoring.types.js";

export const WRITTEN_FILE_PREFIX = "telegram:";
const isWritten = (l: Lesson): boolean => l.file.startsWith(WRITTEN_FILE_PREFIX);

/**
 * The lesson a written one becomes, checked by the same zod schema as a lesson file's front matter (id, track,
 * title, order, quiz); the problems in words otherwise. The schemas (and zod) load on first use: a start with no
 * written lessons does not compile them.
 */
export async function toLesson(w: WrittenLesson): Promise<{ lesson: Lesson } | { problems: string[] }> {
  const { lessonFrontMatterSchema } = await import("../../content/lesson.schema.js");
  const parsed = lessonFrontMatterSchema.safeParse({ id: w.id, track: w.track, title: w.title, order: w.order, audience: "all", quiz: w.quiz, topics: [] });
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".") || "lesson"}: ${i.message}`);
  if (w.html.trim() === "") problems.push("body: is empty");
  if (!parsed.success || problems.length > 0) return { problems };
  const fm = parsed.data;
  const media: LessonMedia[] = w.media.map((m, i) => ({
    kind: m.kind,
    // The first picture keeps the key a file lesson's image has.
    field: m.kind === "photo" && i === 0 ? "image" : `media.${i}`,
    path: "",
    fileId: m.fileId,
    bytes: m.bytes ?? 0,
    ...(m.duration !== undefined ? { duration: m.duration } : {}),
    ...(m.width !== undefined ? { width: m.width } : {}),
    ...(m.height !== undefined ? { height: m.height } : {}),
  }));
  const lesson: Lesson = {
    id: fm.id,
    track: fm.track,
    title: fm.title,
    order: fm.order,
    audience: fm.audience,
    quiz: fm.quiz,
    topics: fm.topics,
    media,
    body: w.text,
    html: w.html,
    file: `${WRITTEN_FILE_PREFIX}${fm.id}`,
    authorId: w.authorId,
    ...(w.groupId !== undefined ? { groupId: w.groupId } : {}),
  };
  return { lesson };
}

/**
 * Puts the written lessons into the curriculum in place (every feature holds the same object): the file lessons
 * stay, the written ones are replaced by `written`, sorted into their tracks by order. A removed lesson stays
 * findable by id (its pushes and scores keep their title) but is no longer in its track. A file lesson with the
 * same id wins.
 */
export function mergeWritten(curriculum: Curriculum, written: { lesson: Lesson; removed: boolean }[]): { shadowed: string[] } {
  const files = curriculum.lessons.filter((l) => !isWritten(l));
  const fileIds = new Set(files.map((l) => l.id));
  const shadowed: string[] = [];
  const live: Lesson[] = [];
  for (const id of [...curriculum.byId.keys()]) if (!fileIds.has(id)) curriculum.byId.delete(id);
  for (const { lesson, removed } of written) {
    if (fileIds.has(lesson.id)) {
      shadowed.push(lesson.id);
      continue;
    }
    curriculum.byId.set(lesson.id, lesson);
    if (!removed) live.push(lesson);
  }
  const all = [...files, ...live].sort((a, b) => TRACKS.indexOf(a.track) - TRACKS.indexOf(b.track) || a.order - b.order || (a.id < b.id ? -1 : 1));
  curriculum.lessons.splice(0, curriculum.lessons.length, ...all);
  for (const track of TRACKS) {
    const list = curriculum.byTrack[track];
    list.splice(0, list.length, ...all.filter((l) => l.track === track));
  }
  return { shadowed };
}

/** How often an instance looks whether another one published, edited or removed a written lesson. */
export const SYNC_EVERY_MS = 1000;

/**
 * Keeps this instance's curriculum in step with the written lessons in Redis: `sync()` reloads when the
 * version moved (one GET otherwise), and runs before each push and every second.
 */
export function createWrittenLessons(repo: AuthoringRepository, curriculum: Curriculum, logger: Logger) {
  const log = logger.child({ feature: "lessons", part: "authoring" });
  let loaded = -1;
  let running: Promise<void> | undefined;
  const warned = new Set<string>();

  async function reload(): Promise<void> {
    const version = await repo.version();
    if (version === loaded) return;
    const written: { lesson: Lesson; removed: boolean }[] = [];
    for (const raw of await repo.all()) {
      const w = JSON.parse(raw) as WrittenLesson;
      const checked = await toLesson(w);
      if ("problems" in checked) {
        log.warn({ lesson: w.id, problems: checked.problems.length }, "a written lesson failed the lesson checks; left out");
        continue;
      }
      written.push({ lesson: checked.lesson, removed: w.removed === true });
    }
    const { shadowed } = mergeWritten(curriculum, written);
    for (const id of shadowed) {
      if (warned.has(id)) continue;
      warned.add(id);
      log.warn({ lesson: id }, "a lesson file has the same id as a lesson written in Telegram; the file's lesson is used");
    }
    loaded = version;
    log.debug({ version, lessons: written.length }, "written lessons loaded");
  }

  /** One reload at a time; callers that come while one runs wait for it and then look again. */
  async function sync(): Promise<void> {
    while (running) await running.catch(() => undefined);
    running = reload();
    try {
      await running;
    } finally {
      running = undefined;
    }
  }

  return { sync };
}

export type WrittenLessons = ReturnType<typeof createWrittenLessons>;
