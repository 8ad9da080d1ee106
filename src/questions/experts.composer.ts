import { Composer } from "../shared/composer.js";
import type { Message } from "grammy/types";
import type { BotContext } from "../shared/context.js";
import { displayName } from "../groups/index.js";
import type { AnswersService } from "./answers.service.js";
import type { QuestionsService } from "./questions.service.js";
import type { ExpertMessage } from "./questions.types.js";
import { MAKE_LESSON_PREFIX } from "./questions.keyboards.js";
import { decodeCallback } from "../shared/callback-data.js";

const JOINED = new Set(["member", "administrator", "creator"]);

/** An expert's reply as the answering service reads it; undefined for what cannot be an answer. */
export function expertMessageOf(m: Message): ExpertMessage | undefined {
  if (!m.from || m.from.is_bot) return undefined;
  const first = m.entities?.[0];
  if (first?.type === "bot_command" && first.offset === 0) return undefined; // commands are not answers
  const base = {
    messageId: m.message_id,
    replyTo: m.reply_to_message?.message_id ?? 0,
    expertId: m.from.id,
    expertName: displayName(m.from),
    text: m.text ?? m.caption ?? "",
    ...(m.media_group_id ? { mediaGroupId: m.media_group_id } : {}),
  };
  if (m.photo) return { ...base, kind: "photo", fileId: m.photo.at(-1)?.file_id };
  if (m.video) return { ...base, kind: "video", fileId: m.video.file_id };
  if (m.document) return { ...base, kind: "document", fileId: m.document.file_id };
  if (m.audio) return { ...base, kind: "audio", fileId: m.audio.file_id };
  if (m.voice) return { ...base, kind: "voice" };
  if (m.animation) return { ...base, kind: "animation" };
  if (m.video_note) return { ...base, kind: "video_note" };
  if (m.sticker) return { ...base, kind: "sticker" };
  if (m.text) return { ...base, kind: "text" };
  return undefined;
}

/**
 * The experts' chat. The questions feature claims its updates (index.ts): this chat is not a study
 * group, so nothing that happens here registers it as one or pushes lessons to it.
 */
export function createExpertsComposer(questions: QuestionsService, answers: AnswersService): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const experts = composer.filter((ctx) => questions.isExpertsChat(ctx.chat?.id));
  const thread = (ctx: BotContext) => (ctx.msg?.is_topic_message && ctx.msg.message_thread_id ? { message_thread_id: ctx.msg.message_thread_id } : {});

  experts.on("my_chat_member", async (ctx) => {
    const { old_chat_member: before, new_chat_member: now } = ctx.myChatMember;
    if (JOINED.has(now.status) && !JOINED.has(before.status)) await ctx.reply(ctx.t("questions-experts-welcome"), { parse_mode: "HTML" });
  });

  experts.command(["help", "start"], (ctx) => ctx.reply(ctx.t("questions-experts-welcome"), { parse_mode: "HTML", ...thread(ctx) }));

  experts.command("open", async (ctx) => {
    await ctx.reply(await questions.openList(), { parse_mode: "HTML", link_preview_options: { is_disabled: true }, ...thread(ctx) });
  });

  experts.on("message", async (ctx) => {
    const m = ctx.message;
    if (!m.reply_to_message && !m.media_group_id) return; // experts talking among themselves
    const parsed = expertMessageOf(m);
    if (!parsed) return;
    const result = await answers.relay(parsed);
    const text = answers.confirmation(result);
    if (text) await ctx.reply(text, { reply_parameters: { message_id: m.message_id, allow_sending_without_reply: true }, ...thread(ctx) });
  });

  // "Make a lesson" under a relayed answer: whoever presses it here is one of the experts.
  experts.callbackQuery(new RegExp(`^${MAKE_LESSON_PREFIX}:`), async (ctx) => {
    const parts = decodeCallback(ctx.callbackQuery.data, MAKE_LESSON_PREFIX, 2);
    const [questionId, n] = (parts ?? []).map(Number);
    const result = questionId && n ? await answers.makeLesson(questionId, n) : { kind: "stale" as const };
    const text =
      result.kind === "proposed"
        ? ctx.t(result.reached > 0 ? "questions-make-lesson-done" : "questions-make-lesson-unreached", { id: questionId ?? 0, n: result.reached })
        : ctx.t(result.kind === "exists" ? "questions-make-lesson-exists" : result.kind === "no-organisers" ? "questions-make-lesson-nobody" : "questions-button-stale");
    await ctx.answerCallbackQuery({ text, show_alert: result.kind === "proposed" && result.reached === 0 });
  });

  experts.on("callback_query", (ctx) => ctx.answerCallbackQuery({ text: ctx.t("questions-button-stale") }));

  return composer;
}
