import { InlineKeyboard } from "grammy";
import { encodeCallback } from "../shared/callback-data.js";
import type { Locale, Translate } from "../shared/i18n.js";
import { QUESTION_TRACKS } from "./questions.types.js";

/** Picking a question's track: `qt:<draft>:<track>`. */
export const TRACK_PREFIX = "qt";
/** Rating an answer: `qr:<question>:<answer>:<y|n>`. */
export const RATE_PREFIX = "qr";
/** Making an answer public for /faq (organisers): `qp:<question>:<answer>`. */
export const PUBLIC_PREFIX = "qp";
/** Turning a relayed answer into a lesson proposal (experts' chat): `ml:<question>:<answer>`. */
export const MAKE_LESSON_PREFIX = "ml";

export function trackKeyboard(t: Translate, locale: Locale, draftId: string): InlineKeyboard {
  const kb = new InlineKeyboard();
  QUESTION_TRACKS.forEach((track, i) => {
    kb.text(t(locale, `questions-track-${track}`), encodeCallback(TRACK_PREFIX, draftId, track));
    if (i % 2 === 1) kb.row();
  });
  return kb;
}

/** Under a relayed answer: helpful / not helpful (the asker), and "make public" (organisers). */
export function answerKeyboard(t: Translate, locale: Locale, questionId: number, n: number, withPublic = true): InlineKeyboard {
  const kb = new InlineKeyboard()
    .text(t(locale, "questions-rate-helpful"), encodeCallback(RATE_PREFIX, questionId, n, "y"))
    .text(t(locale, "questions-rate-not-helpful"), encodeCallback(RATE_PREFIX, questionId, n, "n"));
  if (withPublic) kb.row().text(t(locale, "questions-public-button"), encodeCallback(PUBLIC_PREFIX, questionId, n));
  return kb;
}

/** Under the bot's "sent" note in the experts' chat: make a lesson of this answer. */
export function makeLessonKeyboard(t: Translate, locale: Locale, questionId: number, n: number): InlineKeyboard {
  return new InlineKeyboard().text(t(locale, "questions-make-lesson-button"), encodeCallback(MAKE_LESSON_PREFIX, questionId, n));
}
