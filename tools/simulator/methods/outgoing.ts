import type { InlineKeyboardMarkup, MessageEntity } from "grammy/types";
import { badRequest } from "../errors.js";
import { parseHtml } from "../html-entities.js";
import { apiMessage } from "../serialize.js";
import type { ChatRecord } from "../state.js";
import type { SimMessage } from "../types.js";
import type { MethodContext } from "./context.js";

export interface Target {
  record: ChatRecord;
  threadId?: number;
  replyTo?: number;
}

/** Resolves chat, thread and reply target of an outgoing message, failing like Telegram. */
export function resolveTarget(ctx: MethodContext, chatKey = "chat_id"): Target {
  const { state, params } = ctx;
  const record = state.resolveChat(params.raw[chatKey]);
  state.assertCanSend(record);
  const target: Target = { record };
  const threadId = params.int("message_thread_id");
  if (threadId !== undefined) {
    const ok = record.chat.is_forum
      ? threadId === 1 || record.topics.has(threadId)
      : state.findMessage(record, threadId) !== undefined;
    if (!ok) throw badRequest("message thread not found");
    if (record.topics.get(threadId)?.closed && !state.botCanManageTopics(record)) throw badRequest("TOPIC_CLOSED");
    if (threadId !== 1) target.threadId = threadId;
  }
  const reply = params.json<{ message_id?: number; allow_sending_without_reply?: boolean }>("reply_parameters");
  const replyId = reply?.message_id ?? params.int("reply_to_message_id");
  const allowMissing = reply?.allow_sending_without_reply ?? params.bool("allow_sending_without_reply") ?? false;
  if (replyId !== undefined) {
    const original = state.findMessage(record, replyId);
    if (original) {
      target.replyTo = replyId;
      if (target.threadId === undefined && original.message_thread_id !== undefined && record.chat.is_forum) {
        target.threadId = original.message_thread_id;
      }
    } else if (!allowMissing) throw badRequest("message to be replied not found");
  }
  return target;
}

export interface Formatted {
  text: string;
  entities: MessageEntity[];
  source: string;
  parse_mode?: string;
}

/** Applies parse_mode (HTML or none) and Telegram's length rules to a text or caption. */
export function formatText(
  ctx: MethodContext,
  source: string,
  parseMode: string | undefined,
  kind: "text" | "caption",
): Formatted {
  let parsed: { text: string; entities: MessageEntity[] };
  const mode = parseMode?.toLowerCase();
  if (mode === "html") {
    parsed = parseHtml(source, { rejectUnknownEntities: ctx.options.rejectUnknownHtmlEntities });
  } else if (mode === undefined || mode === "") {
    const given = ctx.params.json<MessageEntity[]>(kind === "text" ? "entities" : "caption_entities");
    parsed = { text: source, entities: given ?? [] };
  } else if (mode === "markdownv2" || mode === "markdown") {
    // Markdown is not simulated: the project formats with HTML only.
    throw badRequest(`unsupported parse_mode "${parseMode}" in the simulator (use HTML)`);
  } else {
    throw badRequest(`unsupported parse_mode`);
  }
  if (kind === "text") {
    if (parsed.text.trim() === "") throw badRequest("message text is empty");
    if (parsed.text.length > 4096) throw badRequest("message is too long");
  } else if (parsed.text.length > 1024) throw badRequest("message caption is too long");
  const out: Formatted = { text: parsed.text, entities: parsed.entities, source };
  if (mode) out.parse_mode = parseMode;
  return out;
}

function chatTypeOf(ctx: MethodContext): string | undefined {
  const chatId = ctx.params.raw["chat_id"];
  if (chatId === undefined) return undefined;
  try {
    return ctx.state.resolveChat(chatId).chat.type;
  } catch {
    return undefined;
  }
}

/**
 * A `WebAppInfo`: an HTTPS URL, as Telegram demands ("BUTTON_URL_INVALID" otherwise). Plain http is let through for a
 * loopback host only, since the simulator and the bot it talks to run on one machine (tests, the demo).
 */
export function checkWebAppUrl(info: unknown): void {
  const url = info && typeof info === "object" ? (info as { url?: unknown }).url : undefined;
  let parsed: URL | undefined;
  try {
    parsed = typeof url === "string" ? new URL(url) : undefined;
  } catch {
    parsed = undefined;
  }
  const loopback = parsed?.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(parsed.hostname);
  if (!parsed || (parsed.protocol !== "https:" && !loopback)) throw badRequest("BUTTON_URL_INVALID");
}

/** Validates an inline keyboard the way Telegram does; other keyboards are accepted and ignored. */
export function readMarkup(ctx: MethodContext): InlineKeyboardMarkup | undefined {
  const markup = ctx.params.json<{ inline_keyboard?: unknown }>("reply_markup");
  if (!markup || !("inline_keyboard" in markup)) return undefined;
  const rows = markup.inline_keyboard;
  if (!Array.isArray(rows)) throw badRequest("can't parse inline keyboard button: InlineKeyboardMarkup must be an Array of Arrays");
  for (const row of rows) {
    if (!Array.isArray(row)) throw badRequest("can't parse inline keyboard button: InlineKeyboardMarkup must be an Array of Arrays");
    for (const b of row as Record<string, unknown>[]) {
      if (typeof b.text !== "string" || b.text === "") throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
      const data = b.callback_data;
      if (typeof data === "string") {
        const size = Buffer.byteLength(data, "utf8");
        if (size === 0 || size > 64) throw badRequest("BUTTON_DATA_INVALID");
      } else if (typeof b.url === "string") {
        if (!/^(https?|tg):\/\//i.test(b.url)) throw badRequest("BUTTON_URL_INVALID");
      } else if ("web_app" in b) {
        // Telegram opens Mini Apps from inline buttons in private chats only, and only over HTTPS.
        if (chatTypeOf(ctx) !== "private") throw badRequest("BUTTON_TYPE_INVALID");
        checkWebAppUrl(b.web_app);
      } else if (!["switch_inline_query", "switch_inline_query_current_chat", "web_app", "login_url", "copy_text", "pay", "callback_game"].some((k) => k in b)) {
        throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must have exactly one optional field");
      }
    }
  }
  return { inline_keyboard: rows as InlineKeyboardMarkup["inline_keyboard"] };
}

/** Stores a bot message in the target chat, counts it against the limits and announces it. */
export function postBotMessage(ctx: MethodContext, target: Target, fields: Partial<SimMessage>): SimMessage {
  const full: Partial<SimMessage> = { ...fields };
  if (target.threadId !== undefined) {
    full.message_thread_id = target.threadId;
    if (target.record.chat.is_forum) full.is_topic_message = true;
  }
  if (target.replyTo !== undefined) full.reply_to_message_id = target.replyTo;
  const notify = ctx.params.bool("disable_notification");
  if (notify !== undefined) full.disable_notification = notify;
  const message = ctx.state.addMessage(target.record, ctx.state.bot, full);
  ctx.limiter.record(target.record.chat.id, false);
  ctx.events.botMessage(message, false);
  return message;
}

export function toApi(ctx: MethodContext, m: SimMessage): Record<string, unknown> {
  const record = ctx.state.chats.get(m.chat.id);
  return apiMessage(m, (id) => (record ? ctx.state.findMessage(record, id) : undefined));
}

/** Checks flood limits for a message into the chat named by chat_id (before doing any work). */
export function checkLimits(ctx: MethodContext, isEdit: boolean, chatKey = "chat_id"): void {
  const raw = ctx.params.raw[chatKey];
  const id = typeof raw === "number" ? raw : Number(raw);
  if (Number.isFinite(id)) ctx.limiter.check(id, isEdit);
}
