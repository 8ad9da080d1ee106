import { splitFrontMatter } from "./front-matter.js";
import { checkMediaFile, type MediaRoot } from "./media-file.js";
import type { MediaField } from "./media-sniff.js";
import { LESSON_HINTS, LESSON_KEYS, lessonFrontMatterSchema } from "./lesson.schema.js";
import { QUIZ_ITEM_KEYS } from "./quiz.schema.js";
import { TRACKS } from "./types.js";
import type { ContentProblem, Lesson, LessonMedia, Track } from "./types.js";
import { issuesToProblems } from "./zod-problems.js";

/** The single-file media fields, in sending order; `documents` (a list) follows them. */
const SINGLE_MEDIA: readonly MediaField[] = ["image", "video", "audio", "voice"];

export interface ContentRoot extends MediaRoot {
  /** Absolute path of CONTENT_DIR as given. */
  dir: string;
  /** The same with symlinks resolved, to catch media that escape through a link. */
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
  /** Fine, but worth saying (a large film). */
  notes: ContentProblem[];
}

/** Parses one lesson file; `folderTrack` is the track folder it sits in. */
export async function parseLessonFile(
  text: string,
  file: string,
  folderTrack: Track,
  root: ContentRoot,
): Promise<LessonFileResult> {
  const split = splitFrontMatter(text);
  if (!split.ok) return { identity: { file }, problems: [{ file, field: "", message: split.message }], notes: [] };
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
  const { media, notes } = await checkMedia(file, raw, reported, root, problems);
  const identity: LessonIdentity = { file };
  if (typeof raw.id === "string" && !reported.has("id")) identity.id = raw.id;
  if (track !== undefined && typeof raw.order === "number" && Number.isFinite(raw.order) && !reported.has("order")) {
    identity.trackOrder = `${track}/${String(raw.order)}`;
  }
  if (!parsed.success || problems.length > 0) return { identity, problems, notes };
  const fm = parsed.data;
  const lesson: Lesson = {
    id: fm.id,
    track: fm.track,
    title: fm.title,
    order: fm.order,
    audience: fm.audience,
    quiz: fm.quiz,
    media,
    topics: fm.topics,
    body: split.body,
    file,
  };
  const image = media.find((m) => m.field === "image");
  if (image) lesson.imagePath = image.path;
  return { lesson, identity, problems, notes };
}

/** Checks every media file the raw front matter names (those the schema did not already fault), in sending order. */
async function checkMedia(
  file: string,
  raw: Record<string, unknown>,
  reported: Set<string>,
  root: ContentRoot,
  problems: ContentProblem[],
): Promise<{ media: LessonMedia[]; notes: ContentProblem[] }> {
  const wanted: { field: MediaField; shown: string; value: string }[] = [];
  for (const field of SINGLE_MEDIA) {
    const value = raw[field];
    if (typeof value === "string" && !reported.has(field)) wanted.push({ field, shown: field, value: value.trim() });
  }
  const documents = typeof raw.documents === "string" ? [raw.documents] : raw.documents;
  if (Array.isArray(documents) && !reported.has("documents")) {
    documents.forEach((value: unknown, i) => {
      const shown = typeof raw.documents === "string" ? "documents" : `documents.${i}`;
      if (typeof value === "string" && !reported.has(shown)) wanted.push({ field: "documents", shown, value: value.trim() });
    });
  }
  const checked = await Promise.all(wanted.map((w) => checkMediaFile(w.field, w.value, root)));
  const media: LessonMedia[] = [];
  const notes: ContentProblem[] = [];
  checked.forEach((result, i) => {
    const field = wanted[i]?.shown ?? "";
    if ("problem" in result) problems.push({ file, field, message: result.problem });
    else {
      media.push({ ...result.media, field });
      if (result.note) notes.push({ file, field, message: result.note });
    }
  });
  return { media, notes };
}
