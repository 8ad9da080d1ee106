import type { Transformer } from "grammy";
import type { Logger } from "../shared/logger.js";
import { upgradedTo, upgradesRetriedAsWhole } from "../shared/telegram-errors.js";
import type { GroupMover } from "./group-move.service.js";

/** Requests that mean the same thing in the supergroup: sending, and asking about the chat. */
const RESENDABLE = /^(send|copyMessage|forwardMessage|getChat)/;

/**
 * A Bot API transformer: when Telegram says a group was upgraded (a push, an outbox delivery or a
 * reply to the old id), the group is moved to the supergroup and the request is sent there. Edits
 * and deletions name messages of the old chat, so they only trigger the move and fail as before;
 * so does everything in an outbox job, which is run again as a whole on the moved group.
 */
export function followUpgradedGroups(mover: Pick<GroupMover, "move">, logger: Logger): Transformer {
  const following: Transformer = async (prev, method, payload, signal) => {
    const result = await prev(method, payload, signal);
    const to = upgradedTo(result);
    const from = (payload as { chat_id: number }).chat_id;
    if (to === undefined) return result;
    logger.info({ method, from, to }, "Telegram says the group was upgraded; moving it");
    await mover.move(from, to);
    if (!RESENDABLE.test(method) || upgradesRetriedAsWhole()) return result;
    const again: Record<string, unknown> = { ...payload, chat_id: to };
    // The replied-to message was in the old chat: the resend must not fail for want of it.
    const reply = again["reply_parameters"] as Record<string, unknown> | undefined;
    if (reply) again["reply_parameters"] = { ...reply, allow_sending_without_reply: true };
    return prev(method, again as typeof payload, signal);
  };
  // Only a call that names a chat by its id can be told the chat moved; the rest (a press's answer) passes straight on.
  return (prev, method, payload, signal) =>
    typeof (payload as { chat_id?: unknown } | undefined)?.chat_id === "number" ? following(prev, method, payload, signal) : prev(method, payload, signal);
}
