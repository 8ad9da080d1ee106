// zod/mini, as in config.ts: the start compiles zod's core, not its classic API.
import * as z from "zod/mini";
import type { Middleware } from "grammy";
import type { BotContext } from "../shared/context.js";

/*
 * The boundary between Telegram and the features. Features rely on the shape the Bot API guarantees
 * (a press has `from`, a message has `chat`, ids are numbers); an update that breaks it cannot come
 * from Telegram, so it is dropped here, once, instead of being half-handled by a dozen handlers and
 * turned into NaN keys or TypeErrors. Only the fields features read are checked; the rest passes.
 */

// z.int(): a number in the safe integer range.
const int = z.int();
const nonNegative = z.int().check(z.nonnegative());
const userId = z.int().check(z.positive());
const str = z.string();

const user = z.looseObject({
  id: userId,
  is_bot: z.boolean(),
  first_name: str,
  last_name: z.optional(str),
  username: z.optional(str),
  language_code: z.optional(str),
});

const chat = z.looseObject({
  id: z.int().check(z.refine((n) => n !== 0)),
  type: z.enum(["private", "group", "supergroup", "channel"]),
  title: z.optional(str),
  username: z.optional(str),
  first_name: z.optional(str),
  last_name: z.optional(str),
  is_forum: z.optional(z.boolean()),
});

const entity = z.looseObject({ type: str, offset: nonNegative, length: nonNegative });
const file = z.looseObject({ file_id: str });

const messageFields = {
  message_id: nonNegative,
  date: nonNegative,
  chat,
  from: z.optional(user),
  sender_chat: z.optional(chat),
  message_thread_id: z.optional(int),
  is_topic_message: z.optional(z.boolean()),
  text: z.optional(str),
  caption: z.optional(str),
  entities: z.optional(z.array(entity)),
  caption_entities: z.optional(z.array(entity)),
  new_chat_members: z.optional(z.array(user)),
  left_chat_member: z.optional(user),
  media_group_id: z.optional(str),
  photo: z.optional(z.array(file)),
  voice: z.optional(file),
  video: z.optional(file),
  document: z.optional(file),
  audio: z.optional(file),
  video_note: z.optional(file),
  sticker: z.optional(file),
  animation: z.optional(file),
  forum_topic_created: z.optional(z.looseObject({})),
  is_automatic_forward: z.optional(z.boolean()),
};
// Entities point into the text (or caption); grammY's command matching reads them without checking.
const withText = <T extends { text?: string; caption?: string; entities?: unknown[]; caption_entities?: unknown[] }>(m: T) =>
  (m.entities === undefined || m.text !== undefined) && (m.caption_entities === undefined || m.caption !== undefined);
const message = z
  .looseObject({ ...messageFields, reply_to_message: z.optional(z.looseObject(messageFields).check(z.refine(withText))) })
  .check(z.refine(withText, "entities without text"));

// A pressed message: what the press's handlers read of it (where it is, to reply or edit there). Its text,
// entities and keyboard are the bot's own and are not read again; checking them cost a copy of the whole
// message per press (issue 11).
const pressedMessage = z.looseObject({
  message_id: nonNegative,
  date: nonNegative,
  chat,
  message_thread_id: z.optional(int),
  is_topic_message: z.optional(z.boolean()),
});

const memberState = z.looseObject({ status: str, user, is_member: z.optional(z.boolean()) });
const memberUpdated = z.looseObject({ chat, from: user, date: nonNegative, old_chat_member: memberState, new_chat_member: memberState });

const KINDS = {
  message,
  callback_query: z.looseObject({
    id: z.string().check(z.minLength(1)),
    from: user,
    message: z.optional(pressedMessage),
    inline_message_id: z.optional(str),
    chat_instance: str,
    data: z.optional(str),
    game_short_name: z.optional(str),
  }),
  my_chat_member: memberUpdated,
  chat_member: memberUpdated,
  poll: z.looseObject({
    id: str,
    question: str,
    options: z.array(z.looseObject({ text: str, voter_count: nonNegative })),
    total_voter_count: nonNegative,
    is_closed: z.boolean(),
    is_anonymous: z.boolean(),
    type: str,
    allows_multiple_answers: z.boolean(),
  }),
  poll_answer: z.looseObject({ poll_id: str, user: z.optional(user), voter_chat: z.optional(chat), option_ids: z.array(nonNegative) }),
} as const;

/*
 * A press in the shape above, checked without zod: zod's parse copies the press into a new object with
 * every field it checks (~7 KB per press, issue 11), and presses come in storms. Only a yes counts: a press
 * this does not pass goes to the schema, which decides and says why. So this may be stricter than the schema,
 * never looser (test/bot/update-guard.unit.test.ts mutates presses to hold it to that).
 */
const isInt = (v: unknown): v is number => Number.isSafeInteger(v);
const isNonNegative = (v: unknown) => isInt(v) && v >= 0;
const isOptional = (v: unknown, type: "string" | "boolean") => v === undefined || typeof v === type;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const CHAT_TYPES = new Set(["private", "group", "supergroup", "channel"]);

function isUser(u: unknown): boolean {
  return isObject(u) && isInt(u.id) && u.id > 0 && typeof u.is_bot === "boolean" && typeof u.first_name === "string" &&
    isOptional(u.last_name, "string") && isOptional(u.username, "string") && isOptional(u.language_code, "string");
}

function isChat(c: unknown): boolean {
  return isObject(c) && isInt(c.id) && c.id !== 0 && typeof c.type === "string" && CHAT_TYPES.has(c.type) &&
    isOptional(c.title, "string") && isOptional(c.username, "string") && isOptional(c.first_name, "string") &&
    isOptional(c.last_name, "string") && isOptional(c.is_forum, "boolean");
}

/** Whether a press surely passes the `callback_query` schema (false: ask the schema). */
export function isPlainPress(q: unknown): boolean {
  if (!isObject(q) || typeof q.id !== "string" || q.id.length === 0 || !isUser(q.from) || typeof q.chat_instance !== "string") return false;
  if (!isOptional(q.inline_message_id, "string") || !isOptional(q.data, "string") || !isOptional(q.game_short_name, "string")) return false;
  const m = q.message;
  if (m === undefined) return true;
  return isObject(m) && isNonNegative(m.message_id) && isNonNegative(m.date) && isChat(m.chat) &&
    (m.message_thread_id === undefined || isInt(m.message_thread_id)) && isOptional(m.is_topic_message, "boolean");
}

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
  if (kind === "callback_query" && isPlainPress((update as { callback_query: unknown }).callback_query)) return { ok: true, kind };
  return checkShape(kind as keyof typeof KINDS, (update as Record<string, unknown>)[kind]);
}

/** The schema's verdict on one kind's object (what `checkUpdate` asks when the quick look at a press is not enough). */
export function checkShape(kind: keyof typeof KINDS, value: unknown): UpdateVerdict {
  const parsed = KINDS[kind].safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `${kind}.${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`.slice(0, 200) };
  }
  return { ok: true, kind };
}

/** Drops updates no feature should see; logs why, never their content. */
export function updateGuard(): Middleware<BotContext> {
  return (ctx, next) => {
    const verdict = checkUpdate(ctx.update);
    if (verdict.ok) return next();
    if (ctx.update.edited_message) ctx.log.debug("edited message ignored");
    // logged as `problem`: the logger redacts a `reason` field (it is where leave reasons go)
    else ctx.log.warn({ problem: verdict.reason }, "update dropped");
  };
}
