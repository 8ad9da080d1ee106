import type { FeatureDefinition } from "../../shared/feature.js";
import { createAuthoringComposer } from "./authoring.composer.js";
import { createAuthoringRepository } from "./authoring.repository.js";
import { AUTHORING_PREFIX, createAuthoringService, type AuthoringService } from "./authoring.service.js";
import { createWrittenLessons, SYNC_EVERY_MS } from "./written-lessons.js";

export { toLesson, mergeWritten, type WrittenLesson } from "./written-lessons.js";
export type { AuthoringService, ProposalInput, ProposeResult } from "./authoring.service.js";

declare module "../../shared/feature.js" {
  interface FeatureApis {
    authoring: AuthoringService;
  }
}

/** Lessons written in Telegram: `/newlesson` in private, published into the curriculum of every instance. */
export const authoringFeature: FeatureDefinition = {
  name: "authoring",
  commands: [
    { command: "newlesson", audiences: ["private"], description: "cmd-newlesson", menu: 55 },
    { command: "cancel", audiences: ["private"], description: "cmd-cancel", menu: 56 },
  ],
  create(infra, { lessons, groups }) {
    const { config, redis, curriculum, api, t, pacer, clock, logger } = infra;
    const repo = createAuthoringRepository(redis);
    const written = createWrittenLessons(repo, curriculum, logger);
    const log = logger.child({ feature: "lessons", part: "authoring" });
    // The last background sync, so that stop() can wait for it.
    let syncing: Promise<void> = Promise.resolve();
    const sync = () => {
      syncing = written.sync().catch((err: unknown) => log.warn({ err }, "could not load the written lessons; trying again"));
    };
    sync();
    // Another instance may publish: look at the version every second (one GET), until the app stops.
    const timer = setInterval(() => {
      if (redis.status === "end") clearInterval(timer);
      else sync();
    }, SYNC_EVERY_MS);
    timer.unref();
    const authoring = createAuthoringService({
      repo,
      written,
      curriculum,
      lessons,
      groups,
      api,
      t,
      pacer,
      clock,
      logger,
      organizerIds: config.organizerIds,
      defaultLocale: config.defaultLocale,
    });
    return {
      api: { authoring },
      composer: createAuthoringComposer(authoring),
      claims: { callbacks: [AUTHORING_PREFIX] },
      hooks: { curriculumFresh: () => written.sync() },
      async stop() {
        clearInterval(timer);
        await syncing;
      },
    };
  },
};
