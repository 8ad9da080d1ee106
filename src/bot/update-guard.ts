import { z } from "zod";
import type { Middleware } from "grammy";
import type { BotContext } from "../shared/context.js";

/*
 * The boundary between Telegram and the features. Features rely on the shape the Bot API guarantees
 * (a press has `from`, a message has `chat`, ids are numbers); an update that breaks it cannot come
 * from Telegram, so it is dropped here, once, instead of being half-handled by a dozen handlers and
 * turned into NaN keys or TypeErrors. Only the fields features read are checked; the rest passes.
 */

const int = z.number().int().refine(Number.isSafeInteger);
const userId = int.positive();
const str = z.string();

const user = z.looseObject({
  id: userId,
  is_bot: z.boolean(),
  first_name: str,
  last_name: str.optional(),
  username: str.optional(),
  language_code: str.optional(),
});

const chat = z.looseObject({
  id: int.refine((n) => n !== 0),
  type: z.enum(["private", "group", "supergroup", "channel"]),
  title: str.optional(),
  username: str.optional(),
  first_name: str.optional(),
  last_name: str.optional(),
  is_forum: z.boolean().optional(),
});

const entity = z.looseObject({ type: str, offset: int.nonnegative(), length: int.nonnegative() });
const file = z.looseObject({ file_id: str });

const messageFields = {
  message_id: int.nonnegative(),
  date: int.nonnegative(),
  chat,
  from: user.optional(),
  sender_chat: chat.optional(),
  message_thread_id: int.optional(),
  is_topic_message: z.boolean().optional(),
  text: str.optional(),
  caption: str.optional(),
  entities: z.array(entity).optional(),
  caption_entities: z.array(entity).optional(),
  new_chat_members: z.array(user).optional(),
  left_chat_member: user.optional(),
  media_group_id: str.optional(),
  photo: z.array(file).optional(),
  voice: file.optional(),
  video: file.optional(),
  document: file.optional(),
  audio: file.optional(),
  video_note: file.optional(),
  sticker: file.optional(),
  animation: file.optional(),
  forum_topic_created: z.looseObject({}).optional(),
  is_automatic_forward: z.boolean().optional(),
};
// Entities point into the text (or caption); grammY's command matching reads them without checking.
const withText = <T extends { text?: string; caption?: string; entities?: unknown[]; caption_entities?: unknown[] }>(m: T) =>
  (m.entities === undefined || m.text !== undefined) && (m.caption_entities === undefined || m.caption !== undefined);
const message = z
  .looseObject({ ...messageFields, reply_to_message: z.looseObject(messageFields).refine(withText).optional() })
  .refine(withText, { message: "entities without text" });

const memberState = z.looseObject({ status: str, user, is_member: z.boolean().optional() });
const memberUpdated = z.looseObject({ chat, from: user, date: int.nonnegative(), old_chat_member: memberState, new_chat_member: memberState });

const KINDS = {
  message,
  callback_query: z.looseObject({
    id: str.min(1),
    from: user,
    message: message.optional(),
    inline_message_id: str.optional(),
    chat_instance: str,
    data: str.optional(),
    game_short_name: str.optional(),
  }),
  my_chat_member: memberUpdated,
  chat_member: memberUpdated,
  poll: z.looseObject({
    id: str,
    question: str,
    options: z.array(z.looseObject({ text: str, voter_count: int.nonnegative() })),
    total_voter_count: int.nonnegative(),
    is_closed: z.boolean(),
    is_anonymous: z.boolean(),
    type: str,
    allows_multiple_answers: z.boolean(),
  }),
  poll_answer: z.looseObject({ poll_id: str, user: user.optional(), voter_chat: chat.optional(), option_ids: z.array(int.nonnegative()) }),
} as const;

export type UpdateVerdict = { ok: true; kind: keyof typeof KINDS } | { ok: false; reason: string };

/** Whether the features should see `update`: one kind they handle, in the shape the Bot API promises. */
export function checkUpdate(update: unknown): UpdateVerdict {
  if (typeof update !== "object" || update === null) return { ok: false, reason: "not an object" };
  const kinds = Object.keys(update).filter((k) => k !== "update_id");
  if (kinds.length !== 1) return { ok: false, reason: `${kinds.length} update kinds` };
  const kind = kinds[0] as string;
  // edited_message is not among KINDS: an edit is not a new request (an edited "/push" must not push
  // again, an edited "/ask" not ask twice), and no feature acts on edits.
  if (!(kind in KINDS)) return { ok: false, reason: `kind ${kind.slice(0, 40)} not handled` };
  const parsed = KINDS[kind as keyof typeof KINDS].safeParse((update as Record<string, unknown>)[kind]);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `${kind}.${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`.slice(0, 200) };
  }
  return { ok: true, kind: kind as keyof typeof KINDS };
}

/** Drops updates no feature should see; logs why, never their content. */
export function updateGuard(): Middleware<BotContext> {
  return async (ctx, next) => {
    const verdict = checkUpdate(ctx.update);
    if (verdict.ok) return next();
    if (ctx.update.edited_message) ctx.log.debug("edited message ignored");
    // logged as `problem`: the logger redacts a `reason` field (it is where leave reasons go)
    else ctx.log.warn({ problem: verdict.reason }, "update dropped");
  };
}
