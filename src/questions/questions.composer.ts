import { Composer } from "../shared/composer.js";
import type { Message } from "grammy/types";
import type { BotContext } from "../shared/context.js";
import { escapeHtml } from "../content/index.js";
import { displayName, type GroupsService } from "../groups/index.js";
import { decodeCallback } from "../shared/callback-data.js";
import { localeOf } from "../shared/i18n.js";
import type { AnswersService } from "./answers.service.js";
import { ASK_PREFIX as ASK_LESSON_PREFIX } from "../lessons/index.js";
import { PUBLIC_PREFIX, RATE_PREFIX, TRACK_PREFIX, trackKeyboard } from "./questions.keyboards.js";
import type { AskResult, QuestionsService } from "./questions.service.js";
import { excerpt, truncate } from "./questions.text.js";
import { isQuestionTrack, type MediaKind, type Prompt, type Question } from "./questions.types.js";

const ASK_CAPTION = /^\/ask(?:@(\w+))?(?:\s+|$)/i;
const MAX_FAQ_QUERY = 200;

/** The media a member's message carries, if any. */
export function mediaOf(m: Message): MediaKind | undefined {
  if (m.photo) return "photo";
  if (m.voice) return "voice";
  if (m.video) return "video";
  if (m.document) return "document";
  if (m.audio) return "audio";
  if (m.video_note) return "video_note";
  return undefined;
}

/** Members' side: /ask (text, or a caption), the "what is your question?" prompt, track buttons, ratings, /faq. */
export function createQuestionsComposer(questions: QuestionsService, answers: AnswersService, groups: GroupsService): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const where = (ctx: BotContext) => ({
    reply_parameters: { message_id: ctx.msgId ?? 0, allow_sending_without_reply: true },
    ...(ctx.msg?.is_topic_message ? { message_thread_id: ctx.msg.message_thread_id } : {}),
  });

  function receipt(ctx: BotContext, q: Question): string {
    const key = q.lessonTitle ? "questions-receipt-lesson" : "questions-receipt";
    return ctx.t(key, { id: q.id, track: ctx.t(`questions-track-${q.track}`), lesson: escapeHtml(truncate(q.lessonTitle ?? "", 60)) });
  }

  /** Asks with what the member sent; answers with the receipt, the track buttons or why not. */
  async function ask(ctx: BotContext, text: string, media: MediaKind | undefined, prompt?: Prompt): Promise<AskResult | undefined> {
    const chat = ctx.chat;
    const from = ctx.from;
    if (!chat || !from || !ctx.msgId) return undefined;
    if (chat.type !== "private" && !ctx.group) return undefined;
    if (questions.expertsChatId === undefined) {
      await ctx.reply(ctx.t("questions-no-experts"), where(ctx));
      return undefined;
    }
    // In private, only people the programme knows: nobody else's words reach the experts.
    if (chat.type === "private" && !(await groups.mayUsePrivately(from.id))) {
      await ctx.reply(ctx.t("groups-members-only"), where(ctx));
      return undefined;
    }
    if (!text.trim() && !media && !prompt) {
      // "/ask" alone: ask for the question; the member's reply to this prompt is the question.
      const sent = await ctx.reply(ctx.t("questions-prompt"), { ...where(ctx), reply_markup: { force_reply: true, selective: true } });
      await questions.rememberPrompt(chat.id, sent.message_id, { userId: from.id });
      return undefined;
    }
    const result = await questions.ask({
      chatId: chat.id,
      messageId: ctx.msgId,
      ...(ctx.msg?.is_topic_message && ctx.msg.message_thread_id ? { threadId: ctx.msg.message_thread_id } : {}),
      ...(ctx.group ? { group: ctx.group } : {}),
      ...(prompt?.groupId !== undefined ? { forGroupId: prompt.groupId } : {}),
      userId: from.id,
      userName: displayName(from),
      text,
      ...(media ? { media } : {}),
      ...(prompt?.lessonId ? { lessonId: prompt.lessonId } : {}),
      locale: localeOf(ctx),
    });
    switch (result.kind) {
      case "asked":
        await ctx.reply(receipt(ctx, result.question), { ...where(ctx), parse_mode: "HTML" });
        break;
      case "pick-track":
        await ctx.reply(ctx.t("questions-pick-track"), { ...where(ctx), reply_markup: trackKeyboard((_l, k, v) => ctx.t(k, v), localeOf(ctx), result.draftId) });
        break;
      case "empty":
        await ctx.reply(ctx.t("questions-empty"), where(ctx));
        break;
      case "too-long":
        await ctx.reply(ctx.t("questions-too-long", { max: result.max }), where(ctx));
        break;
      case "rate-limited":
        await ctx.reply(ctx.t("questions-rate-limited"), where(ctx));
        break;
      case "no-experts":
        await ctx.reply(ctx.t("questions-no-experts"), where(ctx));
        break;
      case "duplicate":
        break; // a redelivered update: the member already has an answer
    }
    return result;
  }

  composer.command("ask", (ctx) => ask(ctx, ctx.match, mediaOf(ctx.message as Message)));

  // A photo, voice note or document whose caption starts with /ask.
  composer.on("message:caption", async (ctx, next) => {
    const found = ASK_CAPTION.exec(ctx.message.caption);
    if (!found || (found[1] && found[1].toLowerCase() !== ctx.me.username.toLowerCase())) return next();
    await ask(ctx, ctx.message.caption.slice(found[0].length), mediaOf(ctx.message));
  });

  // The member's reply to "what is your question?".
  composer.on("message", async (ctx, next) => {
    const replied = ctx.message.reply_to_message;
    if (!replied || replied.from?.id !== ctx.me.id) return next();
    const prompt = await questions.promptFor(ctx.chat.id, replied.message_id, ctx.from.id);
    if (!prompt) return next();
    const result = await ask(ctx, ctx.message.text ?? ctx.message.caption ?? "", mediaOf(ctx.message), prompt);
    if (result && (result.kind === "asked" || result.kind === "pick-track")) await questions.dropPrompt(ctx.chat.id, replied.message_id);
  });

  // "Ask about this" under a lesson: in the group, or privately for a secretaries' lesson.
  composer.callbackQuery(new RegExp(`^${ASK_LESSON_PREFIX}:`), async (ctx) => {
    const data = ctx.callbackQuery.data;
    const inGroup = decodeCallback(data, ASK_LESSON_PREFIX, 1);
    const inPrivate = decodeCallback(data, ASK_LESSON_PREFIX, 2);
    const lesson = questions.lessonByRef((inGroup ?? inPrivate)?.[0] ?? "");
    const chat = ctx.chat;
    if (!lesson || !chat) return ctx.answerCallbackQuery({ text: ctx.t("questions-button-stale") });
    let groupId: number | undefined;
    if (inGroup && ctx.group) groupId = undefined;
    else if (inPrivate && chat.type === "private") {
      const gid = Number(inPrivate[1]);
      if (!Number.isSafeInteger(gid) || !(await groups.secretaries(gid)).includes(ctx.from.id)) {
        return ctx.answerCallbackQuery({ text: ctx.t("questions-button-stale") });
      }
      groupId = gid;
    } else return ctx.answerCallbackQuery({ text: ctx.t("questions-button-stale") });
    if (questions.expertsChatId === undefined) return ctx.answerCallbackQuery({ text: ctx.t("questions-no-experts"), show_alert: true });
    const mention = `<a href="tg://user?id=${ctx.from.id}">${escapeHtml(truncate(displayName(ctx.from), 40))}</a>`;
    const message = ctx.callbackQuery.message;
    const sent = await ctx.api.sendMessage(chat.id, ctx.t("questions-prompt-lesson", { name: mention, title: escapeHtml(truncate(lesson.title, 80)) }), {
      parse_mode: "HTML",
      ...(message?.is_topic_message && message.message_thread_id ? { message_thread_id: message.message_thread_id } : {}),
      reply_markup: { force_reply: true, selective: true },
    });
    await questions.rememberPrompt(chat.id, sent.message_id, { userId: ctx.from.id, lessonId: lesson.id, ...(groupId !== undefined ? { groupId } : {}) });
    await ctx.answerCallbackQuery({ text: ctx.t("questions-prompt-toast") });
  });

  composer.callbackQuery(new RegExp(`^${TRACK_PREFIX}:`), async (ctx) => {
    const parts = decodeCallback(ctx.callbackQuery.data, TRACK_PREFIX, 2);
    const track = parts?.[1];
    if (!parts || !isQuestionTrack(track)) return ctx.answerCallbackQuery({ text: ctx.t("questions-button-stale") });
    const result = await questions.pickTrack(parts[0] as string, ctx.from.id, track, localeOf(ctx));
    if (result.kind === "stale") return ctx.answerCallbackQuery({ text: ctx.t("questions-button-stale") });
    if (result.kind === "not-yours") return ctx.answerCallbackQuery({ text: ctx.t("questions-not-yours") });
    await ctx.answerCallbackQuery({ text: ctx.t("questions-sent-toast", { id: result.question.id }) });
    await ctx.editMessageText(receipt(ctx, result.question), { parse_mode: "HTML" });
  });

  composer.callbackQuery(new RegExp(`^${RATE_PREFIX}:`), async (ctx) => {
    const parts = decodeCallback(ctx.callbackQuery.data, RATE_PREFIX, 3);
    const [id, n, v] = (parts ?? []).map(String);
    if (!parts || !/^\d+$/.test(id ?? "") || !/^\d+$/.test(n ?? "") || (v !== "y" && v !== "n")) {
      return ctx.answerCallbackQuery({ text: ctx.t("questions-button-stale") });
    }
    const result = await answers.rate(Number(id), Number(n), ctx.from.id, v === "y");
    const key = result.kind === "rated" ? (result.changed ? "questions-rated-changed" : "questions-rated") : result.kind === "not-asker" ? "questions-rate-not-asker" : "questions-button-stale";
    await ctx.answerCallbackQuery({ text: ctx.t(key) });
  });

  composer.callbackQuery(new RegExp(`^${PUBLIC_PREFIX}:`), async (ctx) => {
    const parts = decodeCallback(ctx.callbackQuery.data, PUBLIC_PREFIX, 2);
    const [id, n] = (parts ?? []).map(String);
    if (!parts || !/^\d+$/.test(id ?? "") || !/^\d+$/.test(n ?? "")) return ctx.answerCallbackQuery({ text: ctx.t("questions-button-stale") });
    const result = await answers.makePublic(Number(id), Number(n), ctx.from.id);
    const key = result.kind === "public" ? (result.already ? "questions-public-already" : "questions-public-done") : result.kind === "not-organiser" ? "questions-public-not-organiser" : "questions-button-stale";
    await ctx.answerCallbackQuery({ text: ctx.t(key) });
  });

  composer.command("faq", async (ctx) => {
    const query = ctx.match.trim();
    if (!query) return ctx.reply(ctx.t("questions-faq-usage"), where(ctx));
    if ([...query].length > MAX_FAQ_QUERY) return ctx.reply(ctx.t("questions-faq-too-long", { max: MAX_FAQ_QUERY }), where(ctx));
    const found = await answers.faq(query, ctx.group?.id, ctx.chat?.type === "private" ? ctx.from?.id : undefined);
    if (found.length === 0) return ctx.reply(ctx.t("questions-faq-none"), where(ctx));
    const lines = found.map((f) =>
      ctx.t("questions-faq-item", { id: f.id, question: escapeHtml(excerpt(f.question, 80)), answer: escapeHtml(excerpt(f.answer, 160)) }),
    );
    await ctx.reply([`<b>${ctx.t("questions-faq-title")}</b>`, ...lines].join("\n\n"), { ...where(ctx), parse_mode: "HTML", link_preview_options: { is_disabled: true } });
  });

  composer.command("open", (ctx) => ctx.reply(ctx.t("questions-open-only-experts"), where(ctx)));

  return composer;
}
