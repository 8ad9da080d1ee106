import type { FeatureDefinition } from "../shared/feature.js";
import { createSigninsComposer } from "./signins.composer.js";
import { LIST_KIND } from "./signins.handoff.js";
import { signinCloseTimer, signinWithLesson } from "./signins.jobs.js";
import { SIGNIN_PREFIX } from "./signins.keyboards.js";
import { createSigninsRepository } from "./signins.repository.js";
import { CLOSE_TIMER_KIND, createSigninsService, type SigninsService } from "./signins.service.js";

/**
 * Sign-ins: sessions with a "Sign in" button and a live count, /signin, /leave, closing on time.
 *
 * For other features (reports, /me), the service offers:
 * - `streak(groupId, userId): Promise<number>` — consecutive sessions of the group, newest back,
 *   the member signed in to (present or late); an excused session neither breaks nor extends it,
 *   a session still open does not break it.
 * - `sessionsOf(groupId, weekId): Promise<SessionSummary[]>` — each session opened in that ISO week
 *   (`YYYY-Www`, the group's time zone), oldest first: `{ id, title, openedAt, closedAt?, signed,
 *   late, excused, absent, eligible }`. `signed` counts everyone who signed in, `late` those of them
 *   who were late (as in a closing's counts); `eligible` = roster members who joined before it opened, plus anyone who signed in or was
 *   excused; counts of closed sessions are fixed at closing, of an open one computed now.
 */
export { createSigninsRepository, type SigninsRepository, type SessionRecord } from "./signins.repository.js";
export {
  createSigninsService,
  CLOSE_TIMER_KIND,
  type SigninsService,
  type SignInResult,
} from "./signins.service.js";
export type { SessionSummary } from "./signins.queries.js";
export { createSigninsComposer } from "./signins.composer.js";
export { parseOpenArgs, MAX_MINUTES as SIGNIN_MAX_MINUTES, MAX_TITLE as SIGNIN_MAX_TITLE } from "./attendance.js";
export { signinCloseTimer, signinWithLesson } from "./signins.jobs.js";
export { SIGNIN_PREFIX } from "./signins.keyboards.js";

declare module "../shared/feature.js" {
  interface FeatureApis {
    signins: SigninsService;
  }
}

/** Sign-ins: opened by organisers or with each lesson, closed on time by a durable timer. */
export const signinsFeature: FeatureDefinition = {
  name: "signins",
  commands: [
    { command: "signin", audiences: ["member", "admin"], description: "cmd-signin", menu: 60 },
    { command: "leave", audiences: ["member", "admin"], description: "cmd-leave", menu: 70 },
    { command: "open_signin", audiences: ["admin"], description: "cmd-open_signin", menu: 80 },
    { command: "close_signin", audiences: ["admin"], description: "cmd-close_signin", menu: 90 },
  ],
  create({ config, redis, api, t, pacer, clock, logger, timers, instanceId }, { activity, groups }) {
    const signins = createSigninsService({
      repo: createSigninsRepository(redis), activity, groups, schedule: timers, api, t, pacer, clock, logger,
      instanceId, editIntervalMs: config.pacing.liveEditIntervalMs,
    });
    return {
      api: { signins },
      composer: createSigninsComposer(signins, groups),
      claims: { callbacks: [SIGNIN_PREFIX], tolledCallbacks: [SIGNIN_PREFIX], startPayloads: [LIST_KIND] },
      timers: { [CLOSE_TIMER_KIND]: signinCloseTimer(signins) },
      stop: () => signins.stop(),
      hooks: {
        lessonPushed: signinWithLesson(signins),
        reportSources: {
          sessionsOf: (groupId, weekId) => signins.sessionsOf(groupId, weekId),
        },
      },
    };
  },
};
