import { z } from "zod";
import { quizItemSchema, QUIZ_HINTS } from "./quiz.schema.js";
import { AUDIENCES, TRACKS } from "./types.js";
import { lessonTopicsSchema, TOPICS_HINTS } from "./topics.schema.js";

export const LESSON_KEYS = ["id", "track", "title", "order", "audience", "image", "video", "audio", "voice", "documents", "quiz", "topics"] as const;

/** An id travels in callback data (64 bytes), so it stays short and plain. */
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;

export const lessonFrontMatterSchema = z.strictObject({
  id: z.string().regex(ID_PATTERN, {
    error: (iss) =>
      `is ${JSON.stringify(iss.input)}; use 1 to 40 letters, digits, "-" or "_", e.g. technology-03`,
  }),
  track: z.enum(TRACKS),
  title: z.string().trim().min(1),
  // Whole numbers as a rule; a decimal (2.5) places a lesson between two others without renumbering them.
  order: z.number().positive(),
  audience: z.enum(AUDIENCES).default("all"),
  image: z.string().trim().min(1).optional(),
  video: z.string().trim().min(1).optional(),
  audio: z.string().trim().min(1).optional(),
  voice: z.string().trim().min(1).optional(),
  // One document may be written as a plain path.
  documents: z.preprocess((v) => (typeof v === "string" ? [v] : v), z.array(z.string().trim().min(1)).max(10)).default([]),
  quiz: z.array(quizItemSchema).default([]),
  topics: lessonTopicsSchema,
});

export type LessonFrontMatter = z.infer<typeof lessonFrontMatterSchema>;

export const LESSON_HINTS = {
  ...QUIZ_HINTS,
  ...TOPICS_HINTS,
  id: "unique across the curriculum, e.g. `id: technology-03`",
  track: `one of ${TRACKS.join(", ")}`,
  title: "e.g. `title: 滴灌的日常维护`",
  order: "the lesson's position in its track: 1, 2, 3… (a decimal such as 2.5 goes between 2 and 3)",
  audience: `one of ${AUDIENCES.join(", ")}`,
  image: "a path relative to the content folder, e.g. images/drip.jpg",
  video: "an MP4 film relative to the content folder, e.g. media/pruning.mp4",
  audio: "an MP3 or M4A recording relative to the content folder, e.g. media/briefing.mp3",
  voice: "an OGG/Opus voice note relative to the content folder, e.g. media/briefing.ogg",
  documents: "a list of PDF files relative to the content folder, e.g. `documents: [media/handbook.pdf]` (at most 10)",
};
