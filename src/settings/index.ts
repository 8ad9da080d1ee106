import { Composer } from "grammy";
import type { BotContext } from "../shared/context.js";
import type { FeatureDefinition } from "../shared/feature.js";
import { createRoleComposer } from "./role.composer.js";
import { createScheduleComposer } from "./schedule.composer.js";
import { SCHEDULE_PREFIX } from "./schedule.keyboards.js";
import { createSettingsCommandComposer } from "./settings.composer.js";
import { SETTINGS_PREFIX } from "./settings.keyboards.js";
import { createSettingsRepository } from "./settings.repository.js";
import { createSettingsService, type SettingsService } from "./settings.service.js";

export { createSettingsRepository, type SettingsRepository } from "./settings.repository.js";
export { createSettingsService, TIME_ZONES, type SettingsService } from "./settings.service.js";
export { describeCron, parseWeekly, weeklyCron } from "./cron-words.js";

declare module "../shared/feature.js" {
  interface FeatureApis {
    settings: SettingsService;
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
  create({ redis, clock, logger }, { groups }) {
    const settings = createSettingsService({ repo: createSettingsRepository(redis), groups, clock, logger });
    const composer = new Composer<BotContext>();
    composer.use(createSettingsCommandComposer(settings, groups), createScheduleComposer(settings, groups), createRoleComposer(settings, groups));
    return { api: { settings }, composer, claims: { callbacks: [SETTINGS_PREFIX, SCHEDULE_PREFIX] } };
  },
};
