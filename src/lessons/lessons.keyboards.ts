import { InlineKeyboard } from "grammy";
import { encodeCallback } from "../shared/callback-data.js";
import type { Locale, Translate } from "../shared/i18n.js";
import { lessonRef } from "./lesson-ref.js";
import { cutGraphemes } from "../shared/graphemes.js";

export const STUDIED_PREFIX = "ls";
export const ASK_PREFIX = "lq";
export const VIEW_PREFIX = "lv";

/** One button per missed lesson, for /lessons in private. */
export function missedKeyboard(items: { groupId: number; lessonId: string; label: string }[]): InlineKeyboard {
  const kb = new InlineKeyboard();
  for (const item of items) kb.text(cutGraphemes(item.label, 60), encodeCallback(VIEW_PREFIX, lessonRef(item.lessonId), item.groupId)).row();
  return kb;
}

/** "Studied ✓" and "Ask about this" under a lesson; `groupId` only when sent outside the group. */
export function lessonKeyboard(t: Translate, locale: Locale, lessonId: string, groupId?: number): InlineKeyboard {
  const ref = lessonRef(lessonId);
  const studied = groupId === undefined ? encodeCallback(STUDIED_PREFIX, ref) : encodeCallback(STUDIED_PREFIX, ref, groupId);
  const ask = groupId === undefined ? encodeCallback(ASK_PREFIX, ref) : encodeCallback(ASK_PREFIX, ref, groupId);
  return new InlineKeyboard().text(t(locale, "lessons-studied-button"), studied).text(t(locale, "lessons-ask-button"), ask);
}
