import type { Logger } from "../shared/logger.js";
import type { UpdatesRepository } from "./updates.repository.js";

/** Keeps this instance's `alive` key fresh, so others know its claimed updates are in good hands. */
export async function startHeartbeat(updates: UpdatesRepository, logger: Logger, everyMs = 5_000): Promise<() => Promise<void>> {
  const beat = () => updates.heartbeat().catch((err: unknown) => logger.warn({ err: { message: (err as Error).message } }, "heartbeat failed"));
  await beat();
  const timer = setInterval(() => void beat(), everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await updates.retire().catch(() => undefined);
  };
}
