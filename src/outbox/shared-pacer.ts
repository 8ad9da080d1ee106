import type { Pacer } from "../shared/pacer.js";
import type { PacingRepository } from "./pacing.repository.js";

/**
 * A pacer on the same deployment-wide line as the outbox's jobs, for the sends that do not go
 * through a job (a sign-in opened with a lesson, a reminder, an answer to a command): together
 * they stay under Telegram's ~30 messages a second, however many instances send.
 */
export function createSharedPacer(pacing: PacingRepository, perSecond: number): Pacer {
  return async (send) => {
    const wait = await pacing.reserveBot(perSecond);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    return send();
  };
}
