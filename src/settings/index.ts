import { Composer } from "../shared/composer.js";
import type { BotContext } from "../shared/context.js";
import type { FeatureDefinition } from "../shared/feature.js";
import { createRoleComposer } from "./role.composer.js";
import { createScheduleComposer } from "./schedule.composer.js";
import { SCHEDULE_PREFIX } from "./schedule.keyboards.js";
import { createSettingsCommandComposer } from "./settings.composer.js";
import { SETTINGS_PREFIX } from "./settings.keyboards.js";
import { createSettingsRepository } from "./settings.repository.js";
import { createSettingsService, type SettingsService } from "./settings.service.js";
import type { ScheduleSection } from "./schedule.composer.js";

export { createSettingsRepository, type SettingsRepository } from "./settings.repository.js";
export { createSettingsService, TIME_ZONES, type SettingsService } from "./settings.service.js";
export { describeCron, parseWeekly, weeklyCron, type T } from "./cron-words.js";
export { localDateTime } from "./schedule-view.js";
export type { ScheduleSection } from "./schedule.composer.js";

declare module "../shared/feature.js" {
  interface FeatureApis {
    settings: SettingsService;
  }
  interface FeatureHooks {
    /** Lines a later feature adds under /schedule (elective lessons' order); `/schedule <args>` goes on to it. */
    scheduleSection: ScheduleSection;
  }
}

/** /settings, /schedule and /role. */
export const settingsFeature: FeatureDefinition = {
  name: "settings",
  commands: [
    { command: "schedule", audiences: ["member", "admin"], description: "cmd-schedule", menu: 180 },
    { command: "settings", audiences: ["admin"], description: "cmd-settings", menu: 190 },
    { command: "role", audiences: ["admin"], description: "cmd-role", menu: 200 },
  ],
  create({ redis, clock, logger, hooks }, { groups }) {
    const settings = createSettingsService({ repo: createSettingsRepository(redis), groups, clock, logger });
    const composer = new Composer<BotContext>();
    composer.use(createSettingsCommandComposer(settings, groups), createScheduleComposer(settings, groups, () => hooks("scheduleSection")), createRoleComposer(settings, groups));
    return { api: { settings }, composer, claims: { callbacks: [SETTINGS_PREFIX, SCHEDULE_PREFIX] } };
  },
};
