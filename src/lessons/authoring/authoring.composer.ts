import { Composer } from "../../shared/composer.js";
import type { Message } from "grammy/types";
import type { BotContext } from "../../shared/context.js";
import { localeOf } from "../../shared/i18n.js";
import { AUTHORING_PREFIX, type Author, type AuthoringService } from "./authoring.service.js";
import type { WrittenMedia } from "./written-lessons.js";

/** The medium of an author's message, by Telegram's file id (the largest size of a photo). */
function mediaOf(msg: Message): WrittenMedia | undefined {
  const photo = msg.photo?.at(-1);
  if (photo) return { kind: "photo", fileId: photo.file_id, bytes: photo.file_size, width: photo.width, height: photo.height };
  if (msg.video) return { kind: "video", fileId: msg.video.file_id, bytes: msg.video.file_size, duration: msg.video.duration, width: msg.video.width, height: msg.video.height };
  if (msg.voice) return { kind: "voice", fileId: msg.voice.file_id, bytes: msg.voice.file_size, duration: msg.voice.duration };
  if (msg.audio) return { kind: "audio", fileId: msg.audio.file_id, bytes: msg.audio.file_size, duration: msg.audio.duration };
  if (msg.document) return { kind: "document", fileId: msg.document.file_id, bytes: msg.document.file_size, fileName: msg.document.file_name };
  return undefined;
}

const authorOf = (ctx: BotContext & { from: { id: number } }): Author => ({ id: ctx.from.id, locale: localeOf(ctx) });

export function createAuthoringComposer(authoring: AuthoringService): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const dm = composer.chatType("private");

  composer.command("newlesson", async (ctx) => {
    if (ctx.chat.type !== "private") return ctx.reply(ctx.t("authoring-private-only"));
    await authoring.start(authorOf(ctx as BotContext & { from: { id: number } }));
  });

  dm.command("lessons", async (ctx, next) => {
    const action = ctx.match.trim().toLowerCase().split(/\s+/)[0];
    if (action !== "edit" && action !== "remove") return next();
    await authoring.listChangeable(authorOf(ctx), action);
  });

  dm.command("cancel", async (ctx) => {
    if (!(await authoring.cancel(authorOf(ctx)))) await ctx.reply(ctx.t("authoring-no-draft"));
  });

  composer.callbackQuery(new RegExp(`^${AUTHORING_PREFIX}:`), async (ctx) => {
    const [, action = "", arg] = ctx.callbackQuery.data.split(":");
    const text = ctx.chat?.type === "private" ? await authoring.press(authorOf(ctx), action, arg) : ctx.t("authoring-stale");
    await ctx.answerCallbackQuery(text ? { text } : undefined);
  });

  // While a draft is open, the author's private messages are its answers; other commands pass.
  dm.on("message", async (ctx, next) => {
    const msg = ctx.message;
    if (msg.text?.startsWith("/") || !(await authoring.hasDraft(ctx.from.id))) return next();
    const author = authorOf(ctx);
    if (msg.poll) return authoring.poll(author, msg.poll);
    const media = mediaOf(msg);
    if (media) return authoring.media(author, media);
    if (msg.text !== undefined) return authoring.text(author, msg.text, msg.entities);
    return next();
  });

  return composer;
}
