import type { FeatureDefinition } from "../shared/feature.js";
import { createConsoleActions, remindJob, REMIND_JOB } from "./console.actions.js";
import { createConsoleApi } from "./console.api.js";
import { createConsoleComposer } from "./console.composer.js";
import { CONSOLE_KIND, consoleKeyboard } from "./console.links.js";
import { createConsoleRepository } from "./console.repository.js";
import { consoleRoute, findPageDir, loadPage } from "./console.server.js";
import { createConsoleService } from "./console.service.js";

export { checkInitData, initDataHash, INIT_DATA_MAX_AGE_MS, type InitDataUser } from "./console.auth.js";
export { CONSOLE_PATH, consoleUrl } from "./console.links.js";

/**
 * The organiser console: a Telegram Mini App served by the bot (PUBLIC_URL set), with a JSON API over the same
 * services the commands use. Off, and nothing registered, without PUBLIC_URL.
 */
export const consoleFeature: FeatureDefinition = {
  name: "console",
  create(infra, { activity, demand, groups, lessons, reports, signins }) {
    const { config, curriculum, api, t, clock, logger, outbox, redis } = infra;
    if (!config.console) return { api: {} };
    const repo = createConsoleRepository(redis);
    const consoleService = createConsoleService({ groups, reports, lessons, activity, curriculum, demand, repo, clock });
    const actions = createConsoleActions({ groups, lessons, signins, outbox, consoleService, curriculum, t, clock });
    const consoleApi = createConsoleApi({
      botToken: config.botToken,
      groups,
      reports,
      consoleService,
      actions,
      defaultLocale: config.defaultLocale,
      t,
      clock,
      logger,
    });
    const page = loadPage(findPageDir());
    if (page.size === 0) logger.warn("console page not built (npm run build); its API is served, the page is not");
    const { publicUrl } = config.console;
    const { watch, composer } = createConsoleComposer({ publicUrl, repo, groups, api, t, logger });
    return {
      api: {},
      watch,
      composer,
      claims: { startPayloads: [CONSOLE_KIND] },
      hooks: { consoleButton: (place) => consoleKeyboard(publicUrl, t, place, config.console?.appName) },
      http: consoleRoute(new URL(config.console.publicUrl).pathname, page, consoleApi),
      jobs: { [REMIND_JOB]: remindJob({ groups, curriculum, consoleService, t, api }) },
    };
  },
};
