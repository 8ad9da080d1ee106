import type { Context, LazySessionFlavor } from "grammy";
import type { I18nFlavor } from "@grammyjs/i18n";
import type { Logger } from "../shared/logger.js";
import type { GroupInfo } from "../groups/index.js";

/** Conversation state a member could lose without harm; durable state lives in repositories. */
export interface SessionData {
  /** What the bot asked this member and waits for, e.g. the text of a question. */
  pending?: { kind: string; data?: Record<string, string | number>; until: number };
}

interface SanxueFlavor {
  /** A logger bound to this update. */
  log: Logger;
  /** The study group this update happened in, when it is one the bot serves. */
  group?: GroupInfo;
}

export type BotContext = Context & I18nFlavor & LazySessionFlavor<SessionData> & SanxueFlavor;
