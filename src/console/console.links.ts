import type { InlineKeyboardMarkup } from "grammy/types";
import type { ConsoleButtonPlace } from "../reports/index.js";
import type { Translate } from "../shared/i18n.js";
import { handoffKeyboard, handoffPayload } from "../shared/private-handoff.js";

/** The page's path under PUBLIC_URL. */
export const CONSOLE_PATH = "/console/";
/** The deep-link kind a group's button uses: `?start=console_<group>` opens the private chat, which offers the console. */
export const CONSOLE_KIND = "console";

/** The console page's public URL, opening on a group when given (what a `web_app` button or the menu button opens). */
export function consoleUrl(publicUrl: string, groupId?: number): string {
  return `${publicUrl}${CONSOLE_PATH}${groupId === undefined ? "" : `?g=${groupId}`}`;
}

/**
 * The console's button under a report: a `web_app` button in a private chat; in a group, where Telegram refuses
 * `web_app` buttons, a URL into the private chat with the bot, which answers with the `web_app` button.
 */
export function consoleKeyboard(publicUrl: string, t: Translate, place: ConsoleButtonPlace): InlineKeyboardMarkup {
  const text = t(place.locale, "console-open-button");
  if (place.chat === "group") return handoffKeyboard(place.botUsername, handoffPayload(CONSOLE_KIND, place.groupId), text);
  return { inline_keyboard: [[{ text, web_app: { url: consoleUrl(publicUrl, place.groupId) } }]] };
}
