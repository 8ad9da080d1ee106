import { AsyncLocalStorage } from "node:async_hooks";
import { GrammyError } from "grammy";

/**
 * The supergroup a basic group became, when Telegram refused a request with 400 "group chat was
 * upgraded to a supergroup chat" (`parameters.migrate_to_chat_id`); undefined for anything else.
 * Takes a thrown GrammyError or the raw `{ ok: false, … }` response a transformer sees.
 */
export function upgradedTo(refusal: unknown): number | undefined {
  const r = refusal instanceof GrammyError ? refusal : (refusal as { ok?: unknown; error_code?: unknown; parameters?: unknown } | null);
  if (!r || typeof r !== "object" || r.error_code !== 400) return undefined;
  if (!(r instanceof GrammyError) && r.ok !== false) return undefined;
  const to = (r.parameters as { migrate_to_chat_id?: unknown } | undefined)?.migrate_to_chat_id;
  return typeof to === "number" && Number.isInteger(to) && to !== 0 ? to : undefined;
}

/** Telegram refused with 403: the bot was blocked, removed, or may not start the private chat. */
export function isForbidden(err: unknown): boolean {
  return err instanceof GrammyError && err.error_code === 403;
}

const retriesWholeWork = new AsyncLocalStorage<true>();

/**
 * Runs `work` (an outbox job) so that a request refused because its group was upgraded is not
 * re-sent on its own: the caller runs the whole work again, so what it writes after sending lands
 * under the new id too, not under the old one the move has just emptied.
 */
export function retryingUpgradesAsWhole<T>(work: () => Promise<T>): Promise<T> {
  return retriesWholeWork.run(true, work);
}

/** True inside `retryingUpgradesAsWhole`. */
export function upgradesRetriedAsWhole(): boolean {
  return retriesWholeWork.getStore() === true;
}
