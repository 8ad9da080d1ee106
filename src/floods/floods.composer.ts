import type { Middleware } from "grammy";
import type { Message } from "grammy/types";
import type { BotContext } from "../shared/context.js";
import { floodArgs, floodKeys, type FloodLimits, type FloodsRepository } from "./floods.repository.js";
import { payTollAlone } from "./press-toll.js";
import {
  FLOOD_WINDOW_MS,
  GROUP_COMMANDS_PER_MINUTE,
  GROUP_PRESSES_PER_MINUTE,
  MEMBER_COMMANDS_PER_MINUTE,
  MEMBER_PRESSES_PER_MINUTE,
  PRIVATE_COMMANDS_PER_MINUTE,
} from "./limits.js";

const COMMANDS: FloodLimits = { windowMs: FLOOD_WINDOW_MS, member: MEMBER_COMMANDS_PER_MINUTE, group: GROUP_COMMANDS_PER_MINUTE };
const PRIVATE_COMMANDS: FloodLimits = { windowMs: FLOOD_WINDOW_MS, member: PRIVATE_COMMANDS_PER_MINUTE, group: 0 };
const PRESSES: FloodLimits = { windowMs: FLOOD_WINDOW_MS, member: MEMBER_PRESSES_PER_MINUTE, group: GROUP_PRESSES_PER_MINUTE };

/** A message that starts with a command (`/top`, or a photo captioned `/ask …`). */
function isCommand(message: Message | undefined): boolean {
  const first = message?.entities?.[0] ?? message?.caption_entities?.[0];
  return first?.type === "bot_command" && first.offset === 0;
}

/**
 * Per-member and per-group limits on commands and presses, before any feature runs. A command over
 * the limit is dropped, with at most one "slow down" reply per window (a reply costs the group's
 * message window too); a press over the limit gets a toast, which costs nothing there. Their own
 * messages still take the group's window (src/outbox/group-window.ts).
 */
export function floodGuard(
  repo: FloodsRepository,
  /** Organisers are not limited (checked only when over a limit: one cached getChatMember at most). */
  trusted: (chatId: number, userId: number) => Promise<boolean>,
  /** Presses whose feature runs the flood window inside its own script (a `PressToll`; groups only). */
  tolled: (ctx: BotContext) => boolean = () => false,
): Middleware<BotContext> {
  // Sync in front (no async frame per update for what passes straight on or pays its toll later, as a storm's presses do).
  return (ctx, next) => {
    const press = ctx.callbackQuery !== undefined;
    if (!ctx.from || (!press && !isCommand(ctx.message))) return next();
    const chatId = ctx.chat?.id ?? ctx.from.id;
    if (press && chatId < 0 && tolled(ctx)) {
      const userId = ctx.from.id;
      const toll = (ctx.pressToll = {
        flood: { keys: floodKeys("press", chatId, userId, true), args: floodArgs(PRESSES, true) },
        floodAlone: () => repo.take("press", chatId, userId, PRESSES),
        trusted: () => trusted(chatId, userId),
        paid: false,
        waived: false,
      });
      // A press answered without its feature's script (forged, stale, no group) still takes its place.
      const unpaid = () =>
        toll.paid ? undefined : payTollAlone(toll).catch((err: unknown) => ctx.log.warn({ err: { message: (err as Error).message } }, "press toll not paid"));
      return next().then(unpaid, async (err: unknown) => {
        await unpaid();
        throw err;
      });
    }
    return limited(ctx, next, press, chatId, ctx.from.id);
  };

  async function limited(ctx: BotContext, next: () => Promise<void>, press: boolean, chatId: number, userId: number): Promise<void> {
    const limits = press ? PRESSES : chatId < 0 ? COMMANDS : PRIVATE_COMMANDS;
    let verdict;
    try {
      verdict = await repo.take(press ? "press" : "command", chatId, userId, limits);
    } catch (err) {
      // A limiter must not take the bot down with Redis: the features answer (or fail) as they would.
      ctx.log.warn({ err: { message: (err as Error).message } }, "flood check failed; letting the update through");
      return next();
    }
    if (verdict === "ok" || (await trusted(chatId, userId))) return next();
    ctx.log.info({ kind: press ? "press" : "command", chat: chatId, user: userId, verdict }, "over a flood limit");
    // Every press over the limit is answered: an unanswered one spins on the member's phone.
    if (press) return void (await ctx.answerCallbackQuery({ text: ctx.t("floods-press-slow") }));
    if (verdict === "quiet") return;
    await ctx.reply(ctx.t(verdict === "group-notice" ? "floods-group-busy" : "floods-slow-down"), {
      ...(ctx.msgId !== undefined ? { reply_parameters: { message_id: ctx.msgId, allow_sending_without_reply: true } } : {}),
    });
  }
}
