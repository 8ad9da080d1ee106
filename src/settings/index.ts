import { Composer } from "grammy";
import type { BotContext } from "../bot/context.js";
import type { GroupsService } from "../groups/index.js";
import { createRoleComposer } from "./role.composer.js";
import { createScheduleComposer } from "./schedule.composer.js";
import { createSettingsCommandComposer } from "./settings.composer.js";
import type { SettingsService } from "./settings.service.js";

export { createSettingsRepository, type SettingsRepository } from "./settings.repository.js";
export { createSettingsService, TIME_ZONES, type SettingsService } from "./settings.service.js";
export { describeCron, parseWeekly, weeklyCron } from "./cron-words.js";

/** /settings, /schedule and /role. */
export function createSettingsComposer(settings: SettingsService, groups: GroupsService): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.use(createSettingsCommandComposer(settings, groups));
  composer.use(createScheduleComposer(settings, groups));
  composer.use(createRoleComposer(settings, groups));
  return composer;
}
