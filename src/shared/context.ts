import type { Context } from "grammy";
import type { I18nFlavor } from "@grammyjs/i18n";
import type { Logger } from "./logger.js";
import type { GroupInfo } from "../groups/groups.types.js";
import type { PressToll } from "../floods/press-toll.types.js";

interface SanxueFlavor {
  /** A logger bound to this update. */
  log: Logger;
  /** The study group this update happened in, when it is one the bot serves. */
  group?: GroupInfo;
  /** A press in a group whose feature pays the flood window and roster touch in its own script. */
  pressToll?: PressToll;
}

export type BotContext = Context & I18nFlavor & SanxueFlavor;
