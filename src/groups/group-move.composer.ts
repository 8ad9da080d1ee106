import { Composer } from "../shared/composer.js";
import type { BotContext } from "../shared/context.js";
import type { GroupMover } from "./group-move.service.js";

/**
 * A group upgraded to a supergroup: Telegram tells the old group (`migrate_to_chat_id`) and the new
 * one (`migrate_from_chat_id`); whichever arrives first moves the group, the other finds it moved.
 * Runs before the groups composer, so neither message registers a group of its own.
 */
export function createGroupMoveComposer(mover: GroupMover): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on("message:migrate_to_chat_id", (ctx) => mover.move(ctx.chat.id, ctx.message.migrate_to_chat_id));
  composer.on("message:migrate_from_chat_id", (ctx) => mover.move(ctx.message.migrate_from_chat_id, ctx.chat.id));
  return composer;
}
