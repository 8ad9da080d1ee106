/** The curriculum as loaded from CONTENT_DIR (see PRODUCT.md, "Content"). */
export const TRACKS = ["constitution", "policy", "technology"] as const;
export type Track = (typeof TRACKS)[number];

export const AUDIENCES = ["all", "secretaries"] as const;
export type Audience = (typeof AUDIENCES)[number];

export interface QuizItem {
  question: string;
  options: string[];
  /** Zero-based index of the correct option. */
  answer: number;
  explanation?: string;
}

export interface BankItem extends QuizItem {
  track?: Track;
}

/** How Telegram takes a medium: sendPhoto, sendVideo, sendAudio, sendVoice, sendDocument. */
export type MediaKind = "photo" | "video" | "audio" | "voice" | "document";

/** One media file of a lesson, checked at load (place, type by its bytes, Bot API size limits). */
export interface LessonMedia {
  kind: MediaKind;
  /** The front-matter field that names it: `image`, `video`, `audio`, `voice` or `documents.N`. */
  field: string;
  /** Absolute path; empty for a medium of a lesson written in Telegram, which is sent by its `fileId`. */
  path: string;
  /** Telegram's file id of a medium the author sent the bot (lessons written in Telegram): sent as it is, never uploaded. */
  fileId?: string;
  bytes: number;
  /** Seconds, read from the file (MP4 mvhd, OGG/Opus last granule) where it says. */
  duration?: number;
  width?: number;
  height?: number;
}

export interface Lesson {
  id: string;
  track: Track;
  title: string;
  order: number;
  audience: Audience;
  /** Absolute path of the picture, when the lesson has one. */
  imagePath?: string;
  /** Every media file, in sending order: image, video, audio, voice, then the documents. */
  media: LessonMedia[];
  quiz: QuizItem[];
  /** Free tags (lower case) saying what the lesson is about; may be empty. */
  topics: string[];
  /** The Markdown body, front matter removed. */
  body: string;
  /** Path relative to CONTENT_DIR, for messages (`telegram:<id>` for a lesson written in Telegram). */
  file: string;
  /** A lesson written in Telegram: its body already as Telegram HTML (from the message's entities), used instead of `body`. */
  html?: string;
  /** A group organiser's lesson reaches only this group; absent: every group. */
  groupId?: number;
  /** Who wrote it in Telegram (may edit or remove it, with county organisers). */
  authorId?: number;
}

export interface ScheduleEntry {
  track: Track;
  /** Five fields, or six with seconds first. */
  cron: string;
}

export interface Schedule {
  lessons: ScheduleEntry[];
  quiz_after_minutes: number;
  signin_with_lesson: number;
  signin_late_after: number;
  question_reminder_hours: number;
  weekly_report: string;
  /** Tracks a group's needs survey may reorder (absent in schedules stored before it existed: technology). */
  elective_tracks?: Track[];
}

export interface QuizBank {
  name: string;
  items: BankItem[];
  file: string;
}

export interface SurveyQuestion {
  question: string;
  options: string[];
  allows_multiple_answers: boolean;
  /** When given, as long as `options`: the topics each option stands for (empty for none). */
  topics?: string[][];
}

export interface Survey {
  name: string;
  title: string;
  questions: SurveyQuestion[];
  file: string;
}

export interface Curriculum {
  dir: string;
  schedule: Schedule;
  /** Every lesson, by track then order. */
  lessons: Lesson[];
  /** Each track's lessons sorted by `order`. */
  byTrack: Record<Track, Lesson[]>;
  byId: Map<string, Lesson>;
  quizBanks: Map<string, QuizBank>;
  surveys: Map<string, Survey>;
  /** What is fine but worth knowing (a film above the 20 MB download limit); content:check prints them. */
  notes: ContentProblem[];
}

export interface ContentProblem {
  /** Path relative to CONTENT_DIR. */
  file: string;
  /** Dotted field path, e.g. `quiz.0.answer`; empty for the file as a whole. */
  field: string;
  /** What is wrong and how to fix it, one sentence. */
  message: string;
}

/** Thrown by loadCurriculum; `problems` lists every problem found, not just the first. */
export class ContentError extends Error {
  constructor(readonly problems: ContentProblem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "ContentError";
  }
}

export function formatProblem(p: ContentProblem): string {
  return p.field ? `${p.file}: ${p.field}: ${p.message}` : `${p.file}: ${p.message}`;
}

/** The curriculum with its indexes, from lessons already sorted by track then order. */
export function assembleCurriculum(
  dir: string,
  schedule: Schedule,
  lessons: Lesson[],
  quizBanks: QuizBank[],
  surveys: Survey[],
  notes: ContentProblem[] = [],
): Curriculum {
  const byTrack = Object.fromEntries(TRACKS.map((t) => [t, lessons.filter((l) => l.track === t)])) as Record<Track, Lesson[]>;
  return {
    dir,
    schedule,
    lessons,
    byTrack,
    byId: new Map(lessons.map((l) => [l.id, l])),
    quizBanks: new Map(quizBanks.map((b) => [b.name, b])),
    surveys: new Map(surveys.map((s) => [s.name, s])),
    notes,
  };
}
