import { badRequest } from "../errors.js";
import { parseHtml } from "../html-entities.js";
import { apiPoll } from "../serialize.js";
import type { SimPoll } from "../types.js";
import type { MethodContext, MethodTable } from "./context.js";
import { checkLimits, postBotMessage, readMarkup, resolveTarget, toApi } from "./outgoing.js";

/** Closes a poll and tells the bot, as Telegram does for polls the bot sent. */
export function closePoll(ctx: Pick<MethodContext, "queue" | "events">, poll: SimPoll): void {
  if (poll.is_closed) return;
  poll.is_closed = true;
  ctx.queue.push("poll", apiPoll(poll));
  ctx.events.line(`  📊 poll "${poll.question}" closed`);
}

function sendPoll(ctx: MethodContext): unknown {
  checkLimits(ctx, false);
  const { params, state } = ctx;
  const target = resolveTarget(ctx);
  const question = params.str("question") ?? "";
  if (question.length < 1 || question.length > 300) throw badRequest("poll question length must not exceed 300");
  const raw = params.json<unknown[]>("options") ?? [];
  const options = raw.map((o) => (typeof o === "string" ? o : String((o as { text?: unknown }).text ?? "")));
  if (options.length < 2) throw badRequest("poll must have at least 2 option");
  if (options.length > 10) throw badRequest("poll can't have more than 10 options");
  if (options.some((o) => o.length < 1 || o.length > 100)) throw badRequest("poll options length must not exceed 100");
  const type = params.str("type") === "quiz" ? "quiz" : "regular";
  const single = params.int("correct_option_id");
  const ids = params.json<number[]>("correct_option_ids") ?? (single !== undefined ? [single] : undefined);
  if (type === "quiz") {
    if (!ids || ids.length === 0 || ids.some((i) => !Number.isInteger(i) || i < 0 || i >= options.length)) {
      throw badRequest("wrong correct option ID specified");
    }
  }
  const poll: SimPoll = {
    id: state.uniqueId("5").replace(/\D/g, "").padEnd(19, "0").slice(0, 19),
    chatId: target.record.chat.id,
    messageId: 0,
    question,
    options: options.map((text) => ({ text, voter_count: 0 })),
    type,
    is_anonymous: params.bool("is_anonymous") ?? true,
    allows_multiple_answers: params.bool("allows_multiple_answers") ?? false,
    is_closed: params.bool("is_closed") ?? false,
    total_voter_count: 0,
    votes: new Map(),
  };
  if (type === "quiz" && ids) poll.correct_option_ids = ids;
  const explanation = params.str("explanation");
  if (explanation !== undefined && explanation !== "") {
    const mode = params.str("explanation_parse_mode")?.toLowerCase();
    const parsed = mode === "html" ? parseHtml(explanation) : { text: explanation, entities: [] };
    if (parsed.text.length > 200) throw badRequest("poll explanation length must not exceed 200");
    poll.explanation = parsed.text;
    if (parsed.entities.length) poll.explanation_entities = parsed.entities;
  }
  const openPeriod = params.int("open_period");
  const closeDate = params.int("close_date");
  if (openPeriod !== undefined && closeDate !== undefined) throw badRequest("can't use open_period together with close_date");
  if (openPeriod !== undefined) {
    if (openPeriod < 5 || openPeriod > 600) throw badRequest("wrong open period specified");
    poll.open_period = openPeriod;
    poll.close_date = state.unixNow() + openPeriod;
  }
  if (closeDate !== undefined) {
    const left = closeDate - state.unixNow();
    if (left < 5 || left > 600) throw badRequest("wrong poll close date specified");
    poll.close_date = closeDate;
  }
  const markup = readMarkup(ctx);
  const m = postBotMessage(ctx, target, { poll, ...(markup ? { reply_markup: markup } : {}) });
  poll.messageId = m.message_id;
  state.polls.set(poll.id, poll);
  if (poll.close_date !== undefined) {
    const ms = poll.close_date * 1000 - state.now();
    setTimeout(() => closePoll(ctx, poll), Math.max(ms, 0)).unref();
  }
  return toApi(ctx, m);
}

function stopPoll(ctx: MethodContext): unknown {
  const record = ctx.state.resolveChat(ctx.params.raw["chat_id"]);
  const message = ctx.state.findMessage(record, ctx.params.requireInt("message_id"));
  if (!message?.poll) throw badRequest("message with poll to stop not found");
  if (message.poll.is_closed) throw badRequest("poll has already been closed");
  closePoll(ctx, message.poll);
  const markup = readMarkup(ctx);
  if (markup) message.reply_markup = markup;
  return apiPoll(message.poll);
}

export const pollMethods: MethodTable = { sendPoll, stopPoll };
