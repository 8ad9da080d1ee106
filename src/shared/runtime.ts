import type { Api } from "grammy";
import type { Clock } from "./clock.js";
import type { Translate } from "./i18n.js";
import type { Logger } from "./logger.js";
import type { Pacer } from "./pacer.js";

/**
 * What every service that talks to Telegram outside an update needs: the API client, translation,
 * the outbox's pacing, time and a logger. Services' deps extend it rather than list it again.
 */
export interface Runtime {
  api: Api;
  t: Translate;
  pacer: Pacer;
  clock: Clock;
  logger: Logger;
}
