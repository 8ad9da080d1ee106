import { scopedStore } from "../shared/scoped-store.js";
import type { Transformer } from "grammy";
import type { Logger } from "../shared/logger.js";
import type { PacingRepository } from "./pacing.repository.js";

/** The Bot API methods that put a message into a chat (Telegram counts each in the group's window). */
const SENDS = new Set([
  "sendMessage", "sendPhoto", "sendAudio", "sendDocument", "sendVideo", "sendAnimation", "sendVoice", "sendVideoNote",
  "sendPaidMedia", "sendMediaGroup", "sendLocation", "sendVenue", "sendContact", "sendPoll", "sendChecklist", "sendDice",
  "sendSticker", "sendInvoice", "sendGame", "copyMessage", "copyMessages", "forwardMessage", "forwardMessages",
]);
/** A wait is re-checked at least this often, so a window freed early (or by another instance) is used at once. */
const RECHECK_MS = 1000;

/**
 * Set while the outbox sends: it has already taken the group's window itself (it delays a job
 * rather than sleeping), so the transformer must not count the same message again.
 */
const counted = scopedStore<true>();

/** Runs a send whose group window the caller has already taken. */
export function alreadyCounted<T>(send: () => Promise<T>): Promise<T> {
  return counted.run(true, send);
}

function messagesIn(method: string, payload: Record<string, unknown>): number {
  if (method === "sendMediaGroup" && Array.isArray(payload.media)) return payload.media.length;
  if ((method === "copyMessages" || method === "forwardMessages") && Array.isArray(payload.message_ids)) return payload.message_ids.length;
  return 1;
}

/**
 * An API transformer: every message the bot sends into a group or supergroup (answers to commands
 * included, not only pushes) first takes its place in that group's 20-a-minute window in Redis,
 * the same window the outbox paces pushes with, waiting for room when it is full. If Redis cannot
 * be asked, the message goes anyway: Telegram's own 429 (and auto-retry) is the fallback.
 */
export function groupWindow(pacing: PacingRepository, perMinute: number, logger: Logger): Transformer {
  const paced = pacedBy(pacing, perMinute, logger);
  // Sync in front: what is no message into a group (a press's answer, an edit) passes with no async frame of this layer.
  return (prev, method, payload, signal) => {
    const chatId = (payload as { chat_id?: unknown }).chat_id;
    if (!SENDS.has(method) || typeof chatId !== "number" || chatId >= 0 || counted.getStore()) return prev(method, payload, signal);
    return paced(prev, method, payload, signal);
  };
}

/** The message into group `payload.chat_id` takes its place in the group's window (waiting for room), then goes. */
function pacedBy(pacing: PacingRepository, perMinute: number, logger: Logger): Transformer {
  return async (prev, method, payload, signal) => {
    const chatId = (payload as { chat_id: number }).chat_id;
    const count = messagesIn(method, payload as Record<string, unknown>);
    try {
      for (;;) {
        const wait = await pacing.takeGroup(chatId, perMinute, count);
        if (wait === 0) break;
        await new Promise((r) => setTimeout(r, Math.min(wait, RECHECK_MS)));
      }
    } catch (err) {
      logger.warn({ err: { message: (err as Error).message }, chat: chatId, method }, "group window unavailable; sending unpaced");
    }
    return prev(method, payload, signal);
  };
}
