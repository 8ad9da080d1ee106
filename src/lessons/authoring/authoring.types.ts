import type { MediaKind, QuizItem, Track } from "../../content/index.js";

/** A medium the author sent the bot: Telegram keeps it, the bot resends it by its file id. */
export interface WrittenMedia {
  kind: MediaKind;
  fileId: string;
  bytes?: number;
  duration?: number;
  width?: number;
  height?: number;
  fileName?: string;
}

/** A lesson written in Telegram, as stored. */
export interface WrittenLesson {
  id: string;
  track: Track;
  title: string;
  order: number;
  /** The body as Telegram HTML (from the message's entities), and as plain text (for an export). */
  html: string;
  text: string;
  media: WrittenMedia[];
  quiz: QuizItem[];
  /** A group organiser's lesson: only this group. */
  groupId?: number;
  authorId: number;
  publishedAt: number;
  /** Removed: no longer pushed, kept for the history of the groups it reached. */
  removed?: boolean;
}


/** Where an author is in /newlesson: each step's answer moves to the next; "extras" takes media and quiz polls until Preview. */
export type DraftStep = "track" | "audience" | "title" | "body" | "extras";

/** The conversation's state, kept in Redis under the author's key (it survives a restart). */
export interface Draft {
  /** The id the lesson is published under (chosen at the start, so a repeated Publish stores it once). */
  id: string;
  step: DraftStep;
  /** A county organiser may write for the whole county. */
  county: boolean;
  /** The groups the author organises, where a group lesson may go. */
  groups: { id: number; title: string }[];
  track?: Track;
  /** Undefined until chosen; null: the whole county. */
  groupId?: number | null;
  title?: string;
  html?: string;
  text?: string;
  media: WrittenMedia[];
  quiz: QuizItem[];
  /** The place the author picked in the track (an `order`, a decimal between two lessons); absent: the next one. */
  order?: number;
  /** Editing this published lesson (its order and place stay). */
  editing?: { order: number; publishedAt: number; authorId: number };
}

/** At most this many media and quiz questions in one lesson (Telegram's album is 10; a quiz is a few questions). */
export const DRAFT_LIMITS = { media: 10, quiz: 10, title: 100 } as const;

/**
 * An expert's answer an expert turned into a lesson proposal ("Make a lesson" in the experts' chat), waiting for a
 * county organiser to review it: reviewing opens it as that organiser's draft, which they preview and publish.
 */
export interface Proposal {
  /** `<question>-<answer n>`: one proposal per answer. */
  key: string;
  track: Track;
  title: string;
  /** The body as Telegram HTML (question and answer, escaped), and as plain text. */
  html: string;
  text: string;
  media: WrittenMedia[];
  expertName: string;
  proposedBy: number;
  at: number;
}
