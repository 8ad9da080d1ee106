import { recordOf, type World } from "./actors.js";
import { apiMessage } from "./serialize.js";
import { renderMessage } from "./transcript.js";
import type { SimChat, SimUser } from "./types.js";

/** Who Telegram names as `from` of a message sent on behalf of a chat (the supergroup's own). */
export const GROUP_ANONYMOUS_BOT: SimUser = { id: 1087968824, is_bot: true, first_name: "Group", username: "GroupAnonymousBot" };

/**
 * A basic group is upgraded to a supergroup, as Telegram does it: a new chat id (-100…) with the same
 * members, administrators and bot rights; the old group gets a service message `migrate_to_chat_id`
 * (from the member who upgraded), the supergroup one with `migrate_from_chat_id` sent by the
 * supergroup itself; from then on anything sent to the old id fails with 400 and
 * `parameters.migrate_to_chat_id`.
 */
export function upgradeToSupergroup(world: World, group: SimChat, by: SimUser): SimChat {
  const { state, queue, events } = world;
  const old = recordOf(world, group);
  if (old.chat.type !== "group") throw new Error(`simulator: ${old.chat.title} is not a basic group`);
  if (old.migratedTo !== undefined) throw new Error(`simulator: ${old.chat.title} was already upgraded`);
  const next = state.addGroup(old.chat.title ?? "", "supergroup", false);
  for (const [userId, membership] of old.members) next.members.set(userId, { ...membership });
  old.migratedTo = next.chat.id;
  const sees = state.botStatus(old) !== "left" && state.botStatus(old) !== "kicked";
  const farewell = state.addMessage(old, by, { migrate_to_chat_id: next.chat.id });
  events.line(`[${old.chat.title}] ${by.first_name} upgraded the group to a supergroup (${next.chat.id})`);
  if (sees) queue.push("message", apiMessage(farewell));
  const hello = state.addMessage(next, GROUP_ANONYMOUS_BOT, { migrate_from_chat_id: old.chat.id, sender_chat: next.chat });
  events.line(renderMessage(hello).replace(/: $/, `: ⬆ migrated from ${old.chat.id}`));
  if (sees) queue.push("message", apiMessage(hello));
  return next.chat;
}
