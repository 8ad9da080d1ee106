import { realpath, stat } from "node:fs/promises";
import path from "node:path";
import { splitFrontMatter } from "./front-matter.js";
import { LESSON_HINTS, LESSON_KEYS, lessonFrontMatterSchema } from "./lesson.schema.js";
import { QUIZ_ITEM_KEYS } from "./quiz.schema.js";
import { TRACKS } from "./types.js";
import type { ContentProblem, Lesson, Track } from "./types.js";
import { issuesToProblems } from "./zod-problems.js";

const IMAGE_EXTENSIONS = /\.(jpe?g|png|webp)$/i;
/** Telegram refuses photos over 10 MB (sendPhoto). */
const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

export interface ContentRoot {
  /** Absolute path of CONTENT_DIR as given. */
  dir: string;
  /** The same with symlinks resolved, to catch pictures that escape through a link. */
  real: string;
}

/** What cross-file checks need, taken from the raw front matter even when it has other problems. */
export interface LessonIdentity {
  file: string;
  id?: string;
  /** `track/order`, to find two lessons at the same place in a track. */
  trackOrder?: string;
}

export interface LessonFileResult {
  lesson?: Lesson;
  identity: LessonIdentity;
  problems: ContentProblem[];
}

/** Parses one lesson file; `folderTrack` is the track folder it sits in. */
export async function parseLessonFile(
  text: string,
  file: string,
  folderTrack: Track,
  root: ContentRoot,
): Promise<LessonFileResult> {
  const split = splitFrontMatter(text);
  if (!split.ok) return { identity: { file }, problems: [{ file, field: "", message: split.message }] };
  const data = split.data ?? {};
  const problems: ContentProblem[] = [];
  if (split.body.trim() === "") {
    problems.push({ file, field: "body", message: "is empty; write the lesson text after the closing `---`" });
  }
  const parsed = lessonFrontMatterSchema.safeParse(data);
  if (!parsed.success) {
    const knownKeys = (p: readonly PropertyKey[]): readonly string[] =>
      p.length === 0 ? LESSON_KEYS : p[0] === "quiz" && p.length === 2 ? QUIZ_ITEM_KEYS : [];
    problems.push(...issuesToProblems(file, parsed.error.issues, data, LESSON_HINTS, knownKeys));
  }
  // Checked on the raw fields too, so one run reports these alongside any schema problem.
  const raw = (typeof data === "object" && data !== null ? data : {}) as Record<string, unknown>;
  const reported = new Set(problems.map((p) => p.field));
  const track = typeof raw.track === "string" && (TRACKS as readonly string[]).includes(raw.track) ? (raw.track as Track) : undefined;
  if (track !== undefined && track !== folderTrack) {
    problems.push({
      file,
      field: "track",
      message: `is ${track} but the file is in lessons/${folderTrack}/; move the file to lessons/${track}/ or set track: ${folderTrack}`,
    });
  }
  let imagePath: string | undefined;
  if (typeof raw.image === "string" && !reported.has("image")) {
    const checked = await checkImage(raw.image.trim(), root);
    if (typeof checked === "string") problems.push({ file, field: "image", message: checked });
    else imagePath = checked.path;
  }
  const identity: LessonIdentity = { file };
  if (typeof raw.id === "string" && !reported.has("id")) identity.id = raw.id;
  if (track !== undefined && Number.isInteger(raw.order) && !reported.has("order")) {
    identity.trackOrder = `${track}/${String(raw.order)}`;
  }
  if (!parsed.success || problems.length > 0) return { identity, problems };
  const fm = parsed.data;
  const lesson: Lesson = {
    id: fm.id,
    track: fm.track,
    title: fm.title,
    order: fm.order,
    audience: fm.audience,
    quiz: fm.quiz,
    topics: fm.topics,
    body: split.body,
    file,
  };
  if (imagePath !== undefined) lesson.imagePath = imagePath;
  return { lesson, identity, problems };
}

/** Returns the picture's absolute path, or what is wrong with it. */
async function checkImage(image: string, root: ContentRoot): Promise<{ path: string } | string> {
  const shown = JSON.stringify(image);
  if (!IMAGE_EXTENSIONS.test(image)) {
    return `is ${shown}; use a .jpg, .jpeg, .png or .webp picture`;
  }
  if (path.isAbsolute(image)) {
    return `is the absolute path ${shown}; give a path relative to the content folder, e.g. images/drip.jpg`;
  }
  const absolute = path.resolve(root.dir, image);
  const outside = (base: string, target: string): boolean => {
    const rel = path.relative(base, target);
    return rel === "" || rel.startsWith("..") || path.isAbsolute(rel);
  };
  if (outside(root.dir, absolute)) {
    return `${shown} points outside the content folder; put the picture inside it, e.g. images/${path.basename(image)}`;
  }
  try {
    const real = await realpath(absolute);
    if (outside(root.real, real)) {
      return `${shown} links to a file outside the content folder; copy the picture into the content folder`;
    }
    const info = await stat(real);
    if (!info.isFile()) return `${shown} is not a file; point it at a picture file`;
    if (info.size > MAX_PHOTO_BYTES) {
      return `${shown} is ${(info.size / 1024 / 1024).toFixed(1)} MB; Telegram takes photos up to 10 MB, so make it smaller`;
    }
  } catch {
    return `${shown} does not exist; put the picture there or fix the path (it is relative to the content folder)`;
  }
  return { path: absolute };
}
