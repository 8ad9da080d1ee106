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

/** The direct Mini App link that opens the console on a group (`startapp=g<id>`, which the page reads). */
export function directAppLink(botUsername: string, appName: string, groupId: number): string {
  return `https://t.me/${botUsername}/${appName}?startapp=g${groupId}`;
}

/**
 * The console's button under a report: a `web_app` button in a private chat; in a group, where Telegram refuses
 * `web_app` buttons, a URL: the direct Mini App link when the app is registered (`appName`), else a link into the
 * private chat with the bot, which answers with the `web_app` button.
 */
export function consoleKeyboard(publicUrl: string, t: Translate, place: ConsoleButtonPlace, appName?: string): InlineKeyboardMarkup {
  const text = t(place.locale, "console-open-button");
  if (place.chat === "group" && appName) return { inline_keyboard: [[{ text, url: directAppLink(place.botUsername, appName, place.groupId) }]] };
  if (place.chat === "group") return handoffKeyboard(place.botUsername, handoffPayload(CONSOLE_KIND, place.groupId), text);
  return { inline_keyboard: [[{ text, web_app: { url: consoleUrl(publicUrl, place.groupId) } }]] };
}
