import { scopedStore } from "./scoped-store.js";
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

/**
 * A refusal for good: a 4xx other than 429 (which says when to try again). Sending the same
 * request again will get the same answer.
 */
export function isRefused(err: unknown): err is GrammyError {
  return err instanceof GrammyError && err.error_code >= 400 && err.error_code < 500 && err.error_code !== 429;
}

/** 400 "message is not modified": an edit to what the message already says, which is no failure. */
export function isNotModified(err: unknown): boolean {
  return err instanceof GrammyError && /message is not modified/i.test(err.description);
}

/** 400 "chat not found": a person who never started the bot (or an id Telegram does not know). */
export function isChatNotFound(err: unknown): boolean {
  return err instanceof GrammyError && err.error_code === 400 && /chat not found/i.test(err.description);
}

/**
 * The bot may not write to this person privately: they never started it or blocked it (403), or
 * Telegram has never seen the two talk (400 chat not found).
 */
export function cannotWritePrivately(err: unknown): boolean {
  return isForbidden(err) || isChatNotFound(err);
}

/**
 * The forum topic a request named is gone: deleted (TOPIC_DELETED), never existed
 * ("message thread not found", TOPIC_ID_INVALID). A closed topic is not missing: see isClosedTopic.
 */
export function isMissingTopic(err: unknown): boolean {
  return err instanceof GrammyError && /thread not found|TOPIC_DELETED|TOPIC_ID_INVALID/i.test(err.description);
}

/** The forum topic exists but was closed (TOPIC_CLOSED): only its reopening lets the bot post there. */
export function isClosedTopic(err: unknown): boolean {
  return err instanceof GrammyError && /TOPIC_CLOSED/i.test(err.description);
}

/**
 * 400 for a file_id Telegram will not send: unknown to it ("wrong file identifier/HTTP URL specified",
 * "wrong remote file identifier specified"), expired (FILE_REFERENCE_EXPIRED), or of another type.
 * Uploading the file again gets a new one.
 */
export function isRefusedFileId(err: unknown): boolean {
  return (
    err instanceof GrammyError &&
    err.error_code === 400 &&
    /wrong (remote )?file identifier|FILE_REFERENCE_|FILE_ID_INVALID|can't use file of type/i.test(err.description)
  );
}

const retriesWholeWork = scopedStore<true>();

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
