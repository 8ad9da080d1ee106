import { type MiddlewareFn } from "grammy";
import { Composer } from "../shared/composer.js";
import type { BotContext } from "../shared/context.js";
import type { CommandSpec } from "../shared/feature.js";
import type { GroupsService } from "../groups/index.js";
import { createHelpComposer, replyHelp } from "./help.js";
import type { BuiltFeature } from "./services.js";

/**
 * The features in the bot, in this order:
 * 1. updates a feature claims for itself (a group's upgrade, the experts' chat): that feature only;
 * 2. each feature's `watch` (groups: who is where) for every other update;
 * 3. /help, a plain /start, and the reply to a command no feature answers;
 * 4. a press goes to the feature that claims its prefix, a poll answer to the poll's owner, `/start <kind>_…`
 *    to the feature that claims the kind; what nobody claims gets the stale toast, nothing, or the welcome;
 * 5. commands and messages through every feature's composer, in the features' order;
 * 6. private words nobody took: how to start.
 */
export function dispatchFeatures(features: readonly BuiltFeature[], groups: GroupsService, commands: readonly CommandSpec[]): Composer<BotContext> {
  const bot = new Composer<BotContext>();
  const stop: MiddlewareFn<BotContext> = () => undefined;

  for (const f of features) for (const claim of f.claims?.updates ?? []) bot.filter(claim.owns).use(claim.composer, stop);
  for (const f of features) if (f.watch) bot.use(f.watch);
  bot.use(createHelpComposer(groups, commands));

  const byPrefix = claimsBy(features, "callback prefix", (f) => f.claims?.callbacks ?? []);
  const stale = async (ctx: BotContext): Promise<void> => {
    await ctx.answerCallbackQuery({ text: ctx.t("bot-button-stale") });
  };
  bot.on("callback_query:data", (ctx) => {
    const owner = byPrefix.get(ctx.callbackQuery.data.split(":")[0] ?? "");
    return owner ? owner(ctx, () => stale(ctx)) : stale(ctx);
  });

  const pollOwners = features.filter((f) => f.claims?.ownsPoll && f.composer);
  bot.on("poll_answer", async (ctx) => {
    for (const f of pollOwners) if (await f.claims?.ownsPoll?.(ctx.pollAnswer)) return middlewareOf(f)(ctx, noNext);
    ctx.log.debug({ poll: ctx.pollAnswer.poll_id }, "answer to a poll the bot does not know; ignored");
  });

  const byStartKind = claimsBy(features, "deep-link kind", (f) => f.claims?.startPayloads ?? []);
  const welcome = (ctx: BotContext) => replyHelp(ctx, groups, commands);
  bot.command("start", (ctx) => {
    const owner = byStartKind.get(ctx.match.trim().split("_")[0] ?? "");
    return owner ? owner(ctx, () => welcome(ctx)) : welcome(ctx);
  });

  for (const f of features) if (f.composer) bot.use(f.composer);

  // Private words no feature took (not a command, not a reply to a question prompt): say how to start.
  bot.chatType("private").on(["message:text", "message:photo", "message:voice", "message:document"], (ctx) =>
    ctx.reply(ctx.t("bot-private-hint")),
  );
  // A press without data (a game's) that nothing took still gets an answer.
  bot.on("callback_query", stale);
  return bot;
}

const noNext = () => Promise.resolve();

const middlewares = new WeakMap<BuiltFeature, MiddlewareFn<BotContext>>();
function middlewareOf(f: BuiltFeature): MiddlewareFn<BotContext> {
  let mw = middlewares.get(f);
  if (!mw) middlewares.set(f, (mw = (f.composer ?? new Composer<BotContext>()).middleware()));
  return mw;
}

/** Each claimed key → its feature's composer; two features claiming one key is a mistake caught at start-up. */
function claimsBy(features: readonly BuiltFeature[], what: string, keys: (f: BuiltFeature) => string[]): Map<string, MiddlewareFn<BotContext>> {
  const owners = new Map<string, MiddlewareFn<BotContext>>();
  const names = new Map<string, string>();
  for (const f of features)
    for (const key of keys(f)) {
      const other = names.get(key);
      if (other) throw new Error(`${other} and ${f.name} both claim the ${what} "${key}"`);
      if (!f.composer) throw new Error(`${f.name} claims the ${what} "${key}" but has no composer`);
      names.set(key, f.name);
      owners.set(key, middlewareOf(f));
    }
  return owners;
}
