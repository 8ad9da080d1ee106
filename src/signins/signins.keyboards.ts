import { InlineKeyboard } from "grammy";
import { encodeCallback } from "../shared/callback-data.js";
import type { Locale, Translate } from "../shared/i18n.js";

export const SIGNIN_PREFIX = "si";

/** The "Sign in" button of session `sessionId` (the group is the chat the message is in). */
export function signinKeyboard(t: Translate, locale: Locale, sessionId: number): InlineKeyboard {
  return new InlineKeyboard().text(t(locale, "signins-button"), encodeCallback(SIGNIN_PREFIX, sessionId));
}
