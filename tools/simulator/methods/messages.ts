import { badRequest } from "../errors.js";
import type { ChatRecord } from "../state.js";
import type { SimMessage } from "../types.js";
import type { MethodContext, MethodTable } from "./context.js";
import { checkLimits, formatText, postBotMessage, readMarkup, resolveTarget, toApi } from "./outgoing.js";

const NOT_MODIFIED =
  "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";

function sendMessage(ctx: MethodContext): unknown {
  checkLimits(ctx, false);
  const target = resolveTarget(ctx);
  const f = formatText(ctx, ctx.params.str("text") ?? "", ctx.params.str("parse_mode"), "text");
  const markup = readMarkup(ctx);
  const m = postBotMessage(ctx, target, {
    text: f.text,
    html: f.source,
    entities: f.entities,
    ...(f.parse_mode ? { parse_mode: f.parse_mode } : {}),
    ...(markup ? { reply_markup: markup } : {}),
    ...(ctx.params.has("link_preview_options") ? { link_preview_options: ctx.params.json("link_preview_options") } : {}),
  });
  return toApi(ctx, m);
}

function editable(ctx: MethodContext): { record: ChatRecord; message: SimMessage } {
  if (ctx.params.has("inline_message_id")) throw badRequest("inline messages are not simulated");
  const record = ctx.state.resolveChat(ctx.params.raw["chat_id"]);
  const message = ctx.state.findMessage(record, ctx.params.requireInt("message_id"));
  if (!message) throw badRequest("message to edit not found");
  if (!message.fromBot) throw badRequest("message can't be edited");
  return { record, message };
}

function commitEdit(ctx: MethodContext, message: SimMessage, change: Partial<SimMessage>): unknown {
  message.history.push({
    at: ctx.state.now(),
    ...(message.text !== undefined ? { text: message.text } : {}),
    ...(message.caption !== undefined ? { caption: message.caption } : {}),
    ...(message.reply_markup ? { reply_markup: message.reply_markup } : {}),
  });
  Object.assign(message, change);
  if (!("reply_markup" in change)) delete message.reply_markup;
  message.edits = message.history.length;
  message.edit_date = ctx.state.unixNow();
  ctx.limiter.record(message.chat.id, true);
  ctx.events.botMessage(message, true);
  return toApi(ctx, message);
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function editMessageText(ctx: MethodContext): unknown {
  checkLimits(ctx, true);
  const { message } = editable(ctx);
  if (message.text === undefined) throw badRequest("there is no text in the message to edit");
  const f = formatText(ctx, ctx.params.str("text") ?? "", ctx.params.str("parse_mode"), "text");
  const markup = readMarkup(ctx);
  if (f.text === message.text && same(f.entities, message.entities ?? []) && same(markup, message.reply_markup)) {
    throw badRequest(NOT_MODIFIED);
  }
  return commitEdit(ctx, message, {
    text: f.text,
    html: f.source,
    entities: f.entities,
    ...(markup ? { reply_markup: markup } : {}),
  });
}

function editMessageCaption(ctx: MethodContext): unknown {
  checkLimits(ctx, true);
  const { message } = editable(ctx);
  if (!message.photo && !message.document && !message.voice) throw badRequest("there is no caption in the message to edit");
  const f = formatText(ctx, ctx.params.str("caption") ?? "", ctx.params.str("parse_mode"), "caption");
  const markup = readMarkup(ctx);
  if ((f.text || undefined) === message.caption && same(f.entities, message.caption_entities ?? []) && same(markup, message.reply_markup)) {
    throw badRequest(NOT_MODIFIED);
  }
  return commitEdit(ctx, message, {
    caption: f.text,
    caption_html: f.source,
    caption_entities: f.entities,
    ...(markup ? { reply_markup: markup } : {}),
  });
}

function editMessageReplyMarkup(ctx: MethodContext): unknown {
  checkLimits(ctx, true);
  const { message } = editable(ctx);
  const markup = readMarkup(ctx);
  if (same(markup, message.reply_markup)) throw badRequest(NOT_MODIFIED);
  return commitEdit(ctx, message, markup ? { reply_markup: markup } : {});
}

function deleteMessage(ctx: MethodContext): unknown {
  const record = ctx.state.resolveChat(ctx.params.raw["chat_id"]);
  const message = ctx.state.findMessage(record, ctx.params.requireInt("message_id"));
  if (!message) throw badRequest("message to delete not found");
  if (!message.fromBot && record.chat.type !== "private" && !ctx.state.isBotAdmin(record)) {
    throw badRequest("message can't be deleted");
  }
  message.deleted = true;
  ctx.events.line(`[${record.chat.title ?? record.chat.first_name}] 🗑 message #${message.message_id} deleted`);
  return true;
}

/** Copies one message's content into the target; shared by copyMessage(s) and forwardMessage. */
function copyInto(ctx: MethodContext, source: SimMessage, forward: boolean): SimMessage {
  const target = resolveTarget(ctx);
  const fields: Partial<SimMessage> = {};
  for (const key of ["text", "html", "parse_mode", "entities", "photo", "document", "voice", "poll", "media_group_id"] as const) {
    if (source[key] !== undefined) Object.assign(fields, { [key]: source[key] });
  }
  if (ctx.params.has("caption") && !forward) {
    const f = formatText(ctx, ctx.params.str("caption") ?? "", ctx.params.str("parse_mode"), "caption");
    Object.assign(fields, { caption: f.text, caption_html: f.source, caption_entities: f.entities });
  } else if (source.caption !== undefined) {
    Object.assign(fields, { caption: source.caption, caption_html: source.caption_html, caption_entities: source.caption_entities });
  }
  if (forward) fields.forward_from = source.from;
  const markup = forward ? undefined : readMarkup(ctx);
  if (markup) fields.reply_markup = markup;
  return postBotMessage(ctx, target, fields);
}

function sourceMessage(ctx: MethodContext, id: number, verb: string): SimMessage {
  const from = ctx.state.resolveChat(ctx.params.raw["from_chat_id"]);
  const message = ctx.state.findMessage(from, id);
  if (!message || message.new_chat_members || message.left_chat_member) throw badRequest(`message to ${verb} not found`);
  return message;
}

export const messageMethods: MethodTable = {
  sendMessage,
  editMessageText,
  editMessageCaption,
  editMessageReplyMarkup,
  deleteMessage,
  copyMessage: (ctx) => {
    checkLimits(ctx, false);
    const m = copyInto(ctx, sourceMessage(ctx, ctx.params.requireInt("message_id"), "copy"), false);
    return { message_id: m.message_id };
  },
  copyMessages: (ctx) => {
    const ids = ctx.params.json<number[]>("message_ids") ?? [];
    const out: { message_id: number }[] = [];
    for (const id of ids) {
      checkLimits(ctx, false);
      const from = ctx.state.resolveChat(ctx.params.raw["from_chat_id"]);
      const source = ctx.state.findMessage(from, id);
      if (source) out.push({ message_id: copyInto(ctx, source, false).message_id });
    }
    return out;
  },
  forwardMessage: (ctx) => {
    checkLimits(ctx, false);
    return toApi(ctx, copyInto(ctx, sourceMessage(ctx, ctx.params.requireInt("message_id"), "forward"), true));
  },
  sendChatAction: (ctx) => {
    const record = ctx.state.resolveChat(ctx.params.raw["chat_id"]);
    ctx.state.assertCanSend(record);
    ctx.params.requireStr("action", "action is empty");
    return true;
  },
};
