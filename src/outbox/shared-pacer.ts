import type { Pacer } from "../shared/pacer.js";
import type { PacingRepository } from "./pacing.repository.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs one send on the deployment-wide line (`PacingRepository.reserveBot`): waits for its slot, sends, and tells
 * the line when Telegram has answered, whatever the answer, so the place frees a second after that.
 */
export async function onBotLine<T>(pacing: PacingRepository, perSecond: number, send: () => Promise<T>): Promise<T> {
  for (;;) {
    const slot = await pacing.reserveBot(perSecond);
    if ("retryMs" in slot) {
      await sleep(slot.retryMs);
      continue;
    }
    if (slot.wait > 0) await sleep(slot.wait);
    try {
      return await send();
    } finally {
      // Redis away: the hold lapses by itself later; the send's own result is what the caller needs.
      await slot.answered().catch(() => undefined);
    }
  }
}

/**
 * A pacer on the same deployment-wide line as the outbox's jobs, for the sends that do not go
 * through a job (a sign-in opened with a lesson, a reminder, an answer to a command): together
 * they stay under Telegram's ~30 messages a second, however many instances send.
 */
export function createSharedPacer(pacing: PacingRepository, perSecond: number): Pacer {
  return (send) => onBotLine(pacing, perSecond, send);
}
