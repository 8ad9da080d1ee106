import type { Track } from "../content/types.js";
import type { Locale } from "../shared/i18n.js";

/** A question's subject: one of the curriculum's tracks, or "other / not sure". */
export type QuestionTrack = Track | "other";
export const QUESTION_TRACKS: readonly QuestionTrack[] = ["constitution", "policy", "technology", "other"];

export function isQuestionTrack(value: unknown): value is QuestionTrack {
  return typeof value === "string" && (QUESTION_TRACKS as readonly string[]).includes(value);
}

/** Media a member or an expert may send along; copied, never described. */
export type MediaKind = "photo" | "voice" | "document" | "video" | "audio" | "animation" | "video_note" | "sticker";

/** What a question was at the moment it was asked; never changes afterwards. */
export interface Question {
  id: number;
  /** Where it was asked (a study group, or the member's private chat): answers go back there. */
  chatId: number;
  /** The member's message; answers reply to it. */
  messageId: number;
  threadId?: number;
  /** The study group it counts for (also for a secretaries' lesson asked about in private). */
  groupId?: number;
  groupTitle?: string;
  userId: number;
  userName: string;
  track: QuestionTrack;
  lessonId?: string;
  lessonTitle?: string;
  text: string;
  /** The member's message carries media (photo, voice…), copied to the experts. */
  media?: MediaKind;
  locale: Locale;
  timeZone: string;
  askedAt: number;
  reminderHours: number;
}

/** A question plus what happened to it since. */
export interface QuestionState extends Question {
  /** The question card in the experts' chat. */
  card?: { messageId: number; threadId?: number };
  firstAnswerAt?: number;
  firstExpertId?: number;
  /** First answer's text (or caption), shortened, for /faq. */
  excerpt?: string;
  answers: number;
}

/** The media a lesson sends (content's kinds); an answer's photos, videos, documents and audio can go on into one. */
export type LessonMediaKind = "photo" | "video" | "document" | "audio";

export interface AnswerRecord {
  n: number;
  expertId: number;
  expertName: string;
  at: number;
  excerpt: string;
  /** The answer's whole text and its media with file ids, for "Make a lesson" (absent on answers recorded before). */
  text?: string;
  media?: { kind: LessonMediaKind; fileId: string }[];
  rating?: "helpful" | "not-helpful";
  public?: boolean;
}

/** An answer organisers made public for /faq in the group where it was asked. */
export interface PublicAnswer {
  id: number;
  n: number;
  groupId: number;
  question: string;
  answer: string;
  at: number;
}

/** A question waiting for its track (the member picks one with a button). */
export interface Draft {
  chatId: number;
  messageId: number;
  threadId?: number;
  groupId?: number;
  userId: number;
  userName: string;
  text: string;
  media?: MediaKind;
}

/** The bot asked "what is your question?" and waits for this member's reply. */
export interface Prompt {
  userId: number;
  lessonId?: string;
  groupId?: number;
}

/** One message of an expert's answer. */
export interface ExpertMessage {
  messageId: number;
  replyTo: number;
  expertId: number;
  expertName: string;
  kind: MediaKind | "text";
  text: string;
  /** file_id of the media, for albums (sendMediaGroup). */
  fileId?: string;
  mediaGroupId?: string;
}

/** One week of a group's questions, for the organisers' reports. */
export interface WeekSummary {
  asked: number;
  answered: number;
  /** Median time from asking to the first relayed answer, over this week's answered questions; null when none. */
  medianFirstAnswerMs: number | null;
  helpful: number;
  notHelpful: number;
}
