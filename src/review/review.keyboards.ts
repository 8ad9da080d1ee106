import { InlineKeyboard } from "grammy";
import { encodeCallback } from "../shared/callback-data.js";
import type { Locale, Translate } from "../shared/i18n.js";

export const REVIEW_PREFIX = "review";
export const MORE_DATA = encodeCallback(REVIEW_PREFIX, "more");

/** "More ▶": the next few due questions. */
export const moreKeyboard = (t: Translate, locale: Locale): InlineKeyboard =>
  new InlineKeyboard().text(t(locale, "review-more-button"), MORE_DATA);
