import { Bot, GrammyError, HttpError, type BotError, type Transformer } from "grammy";
import { sequentialize } from "@grammyjs/runner";
import type { UserFromGetMe } from "grammy/types";
import { autoRetry } from "@grammyjs/auto-retry";
import type { I18n } from "@grammyjs/i18n";
import type { Config } from "../config/config.js";
import { createI18n, isLocale, type Locale } from "../shared/i18n.js";
import { inUpdate, type Logger } from "../shared/logger.js";
import type { Redis } from "../shared/redis.js";
import { grammyFetch } from "../shared/telegram-http.js";
import type { BotContext } from "../shared/context.js";
import type { CommandSpec } from "../shared/feature.js";
import type { Services } from "./services.js";
import { Composer } from "../shared/composer.js";
import { COMMANDS } from "./commands.js";
import { dispatchFeatures } from "./dispatch.js";
import { dedupeUpdates, measureUpdates, pressGuard, type Metrics, type UpdatesRepository } from "../ops/index.js";
import { updateGuard } from "./update-guard.js";
import { SendDeferred } from "../outbox/index.js";
import { createFloodsRepository, floodGuard } from "../floods/index.js";

export const ALLOWED_UPDATES = [
  "message",
  "callback_query",
  "my_chat_member",
  "chat_member",
  "poll",
  "poll_answer",
] as const;

/**
 * The Telegram client alone (for services that send outside updates), with 429s and network errors retried.
 * `observe` (API metrics) goes inside auto-retry, so it sees every attempt and every 429. `groupWindow`
 * (src/outbox/group-window.ts) goes outside it: one place in a group's window per message, however often it is retried.
 */
export function createApiBot(config: Config, botInfo?: UserFromGetMe, observe?: Transformer, groupWindow?: Transformer): Bot<BotContext> {
  // The fetch grammY calls, on node:http without node-fetch (src/shared/telegram-http.ts).
  const bot = new Bot<BotContext>(config.botToken, { client: { apiRoot: config.telegramApiRoot, fetch: grammyFetch() }, botInfo });
  if (observe) bot.api.config.use(observe);
  bot.api.config.use(autoRetry({ maxRetryAttempts: 6, maxDelaySeconds: 120 }));
  if (groupWindow) bot.api.config.use(groupWindow);
  return bot;
}

/**
 * The i18n plugin's choice of locale for an update: a group's own, or in a private chat the member's chosen one or
 * their Telegram language; undefined falls back to the default. Reads the group once per update (kept in ctx.group).
 */
export function memberLocale(groups: Services["groups"]): (ctx: BotContext) => Promise<Locale | undefined> {
  return async (ctx) => {
    if (ctx.chat && ctx.chat.type !== "private") {
      const group = ctx.group ?? (await groups.ofUpdate(ctx.chat.id, Boolean(ctx.callbackQuery)));
      // Read once per update: the groups composer takes it from here instead of reading it again.
      if (group?.active) ctx.group = group;
      return group?.locale;
    }
    if (ctx.from) {
      const profile = await groups.user(ctx.from.id);
      if (profile?.locale) return profile.locale;
      const code = ctx.from.language_code?.slice(0, 2);
      if (isLocale(code)) return code;
    }
    return undefined;
  };
}

/**
 * Wires the bot: plugins, the error handler and the features (src/bot/dispatch.ts), in this order.
 * Holds no business rules; those live in the features.
 */
export function installBot(
  bot: Bot<BotContext>,
  config: Config,
  deps: {
    logger: Logger;
    redis: Redis;
    services: Services;
    ops?: { updates: UpdatesRepository; metrics: Metrics; onUpdate?: () => void };
    /** The menus' and /help's commands (default: every feature's). */
    commands?: readonly CommandSpec[];
    /** The translations, already read (createApp reads them once for both `t` and the bot); made here when absent. */
    i18n?: I18n<BotContext>;
  },
): Bot<BotContext> {
  const { logger, redis, services } = deps;

  // One composer walked as a list (src/shared/composer.ts), not one of grammY's nested wrappers per plugin.
  const chain = new Composer<BotContext>();
  bot.use(chain);

  // Operations first: a redelivered update_id stops here; the others are counted and timed.
  if (deps.ops) {
    chain.use(dedupeUpdates(deps.ops.updates, deps.ops.metrics));
    chain.use(measureUpdates(deps.ops.metrics, deps.ops.onUpdate));
  }
  // A press gets an answer within Telegram's 15 s even while its handler waits for Redis.
  chain.use(pressGuard((ctx) => tryAgainText(ctx, config.defaultLocale)));

  const timed = logger.isLevelEnabled("debug");
  chain.use((ctx, next) => {
    ctx.log = logger.child({ update_id: ctx.update.update_id });
    const started = timed ? performance.now() : 0;
    // Services log with their own loggers; inside this, their lines carry the update_id too. Presses and
    // poll answers (the storms) run outside it: while nothing runs inside, Node keeps no hook on every promise
    // (src/shared/scoped-store.ts). Their lines through ctx.log carry it; a service's carry its own ids.
    const handled = ctx.callbackQuery || ctx.pollAnswer ? next() : inUpdate({ update_id: ctx.update.update_id }, next);
    // Below debug, no frame of this layer waits for the update.
    if (!timed) return handled;
    return handled.then(() => ctx.log.debug({ ms: Math.round(performance.now() - started) }, "update handled"));
  });
  chain.use(updateGuard());

  // Messages in one chat are handled in order; button presses and poll answers need no order.
  chain.use(sequentialize((ctx) => (ctx.message && ctx.chat ? [String(ctx.chat.id)] : [])));

  chain.use(deps.i18n ?? createI18n<BotContext>(config.defaultLocale, memberLocale(services.groups)));
  // Before any feature: one member (or one busy group) cannot spend the group's message window.
  if (config.floodLimits) {
    const tolled = new Set(services.features.flatMap((f) => f.claims?.tolledCallbacks ?? []));
    chain.use(
      floodGuard(
        createFloodsRepository(redis),
        async (chatId, userId) => (chatId < 0 ? services.groups.isOrganiser(chatId, userId) : services.groups.isCountyOrganiser(userId)),
        (ctx) => tolled.has(ctx.callbackQuery?.data?.split(":")[0] ?? ""),
      ),
    );
  }

  chain.use(dispatchFeatures(services.features, services.groups, deps.commands ?? COMMANDS));

  bot.catch(async (err: BotError<BotContext>) => {
    const ctx = err.ctx;
    const e = err.error;
    const log = ctx.log ?? logger;
    // A reply Telegram rate-limited for long is not lost: it waits in the outbox and is sent later.
    if (e instanceof SendDeferred) log.warn({ method: e.method, delayMs: e.delayMs, job: e.jobId }, "reply deferred to the outbox");
    else if (e instanceof GrammyError)
      log.error(
        { method: e.method, code: e.error_code, description: e.description },
        "Telegram refused a request",
      );
    else if (e instanceof HttpError) log.error({ err: { message: e.message } }, "could not reach Telegram");
    else log.error({ err: e }, "update failed");
    // A member who pressed a button is never left without an answer.
    try {
      if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: tryAgainText(ctx, config.defaultLocale) });
    } catch {
      // nothing more to do: the press will time out on the member's phone
    }
  });

  return bot;
}

/** The "try again" toast, even when the failure came before the locale was known (Redis down). */
function tryAgainText(ctx: BotContext, fallback: Locale): string {
  try {
    const text = ctx.t("groups-try-again");
    if (text && !text.startsWith("{")) return text;
  } catch {
    // i18n did not get as far as this update's locale
  }
  return fallback === "en" ? "The system is busy, please try again in a moment." : "系统忙，请稍后再试。";
}
