import type { InlineKeyboard } from "grammy";
import { isNotModified } from "../shared/telegram-errors.js";
import type { BotContext } from "../shared/context.js";
import type { T } from "./cron-words.js";

/** `ctx.t` as a plain function, so views stay free of the context. */
export function tOf(ctx: BotContext): T {
  return (key, vars) => ctx.t(key, vars);
}

/** Edits the pressed message in place; an identical re-render (Telegram's "not modified") is fine. */
export async function editInPlace(ctx: BotContext, text: string, keyboard?: InlineKeyboard): Promise<void> {
  try {
    await ctx.editMessageText(text, { parse_mode: "HTML", reply_markup: keyboard, link_preview_options: { is_disabled: true } });
  } catch (err) {
    if (isNotModified(err)) return;
    throw err;
  }
}
