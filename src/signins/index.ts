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
export { signinCloseTimer, signinWithLesson } from "./signins.jobs.js";
export { SIGNIN_PREFIX } from "./signins.keyboards.js";
