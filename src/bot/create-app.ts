import { randomUUID } from "node:crypto";
import { GrammyError, type Bot, type Transformer } from "grammy";
import type { Config } from "../config/config.js";
import { cachedCurriculum, defaultCacheDir, isSelfHostedApi, loadCurriculum, type Curriculum } from "../content/index.js";
import { createPacingRepository, createSharedPacer, groupWindow } from "../outbox/index.js";
import { apiMetrics, createHealth, createMetrics, createUpdatesRepository, startHeartbeat, type Health, type Metrics } from "../ops/index.js";
import { systemClock, type Clock } from "../shared/clock.js";
import { startEmbeddedRedis, type EmbeddedRedis } from "../shared/embedded-redis.js";
import { createI18n, translatorOf, type Translate } from "../shared/i18n.js";
import { createLogger, type Logger } from "../shared/logger.js";
import type { Pacer } from "../shared/pacer.js";
import { connectRedis, countRoundTrips, type RedisClient } from "../shared/redis.js";
import { dropWebhook, startIntake, type Intake } from "./intake.js";
import { registerCommands } from "./commands.js";
import type { BotContext } from "../shared/context.js";
import { createApiBot, installBot, memberLocale } from "./create-bot.js";
import { createServices, type Services } from "./services.js";

/** In-flight handlers get this long to finish on stop before Redis is closed under them. */
const DRAIN_MS = 10_000;

/** A start-up failure whose message is the whole story for the operator (main prints it as it is). */
export class StartupError extends Error {
  override name = "StartupError";
}

/** What tests and benches swap; production passes only the logger. */
export interface AppOverrides {
  logger?: Logger;
  clock?: Clock;
  /** Default: the shared Redis-wide line at `config.pacing.botPerSecond`. */
  pacer?: Pacer;
  /** A client the caller made and closes itself (default: connect to the configured Redis, or start one). */
  redis?: RedisClient;
  curriculum?: Curriculum;
  instanceId?: string;
  /** What start() runs besides getMe and the bot's wiring; all on unless turned off (in-process tests drive them by hand). */
  run?: Partial<Record<"updates" | "scheduler" | "outbox" | "commands" | "heartbeat", boolean>>;
}

export interface App {
  config: Config;
  bot: Bot<BotContext>;
  services: Services;
  redis: RedisClient;
  logger: Logger;
  metrics: Metrics;
  health: Health;
  t: Translate;
  instanceId: string;
  /** getMe (retried), the bot's wiring and menus, then updates (webhook or polling), the scheduler and the outbox. */
  start(): Promise<void>;
  /** Stops taking updates, lets those in flight finish (bounded), then stops the rest and closes Redis. */
  stop(): Promise<void>;
}

/** Builds one bot instance: Redis, the Telegram client, every service and the bot; nothing runs until start(). */
export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const secrets = [config.botToken, config.mode.kind === "webhook" ? config.mode.secret : ""];
  const logger = overrides.logger ?? createLogger({ level: config.logLevel, secrets });
  const run = { updates: true, scheduler: true, outbox: true, commands: true, heartbeat: true, ...overrides.run };
  // Operations: metrics, health, update claims (ops/). The API transformer counts every Bot API call.
  const metrics = createMetrics();
  // The health check learns of each getUpdates that worked; it is made once Redis is connected.
  let sawPoll: () => void = () => undefined;
  let window: Transformer | undefined;
  const firstPoll = pollSeen();
  const bot = createApiBot(
    config,
    undefined,
    apiMetrics(metrics, (method) => method === "getUpdates" && sawPoll()),
    // Every message into a group, replies included, counts in the group's window with the pushes. The window needs
    // Redis, connected below; only getMe goes out before it, and getMe is no message.
    config.floodLimits ? (prev, method, payload, signal) => (window ?? passThrough)(prev, method, payload, signal) : undefined,
  );
  bot.api.config.use(firstPoll.transformer);
  // getMe goes out now, while the content is read and checked and Redis starts and connects; start() waits for it.
  const me = getMeWithRetry(bot, logger);
  me.catch(() => undefined); // a createApp that fails below never starts; start() sees a failure of its own
  const content = overrides.curriculum ? Promise.resolve(overrides.curriculum) : readContent(config.contentDir, logger, isSelfHostedApi(config.telegramApiRoot));

  let embedded: EmbeddedRedis | undefined;
  const connect = async (): Promise<RedisClient> => {
    if (overrides.redis) return overrides.redis;
    let redisUrl = config.redisUrl;
    if (!redisUrl && !config.redisCluster) {
      try {
        embedded = await startEmbeddedRedis(config.dataDir, logger);
      } catch (err) {
        throw new StartupError((err as Error).message);
      }
      redisUrl = embedded.url;
    }
    return connectRedis(config.redisCluster ?? redisUrl ?? "", logger);
  };
  const [read, connected] = await Promise.allSettled([content, connect()]);
  if (read.status === "rejected") {
    // Leave nothing running behind a content error (the embedded redis-server is a child process).
    if (connected.status === "fulfilled" && !overrides.redis) connected.value.disconnect();
    await embedded?.stop();
    throw read.reason;
  }
  if (connected.status === "rejected") throw connected.reason;
  const curriculum = read.value;
  const client = connected.value;
  if (!overrides.redis) countRoundTrips(client, metrics.countRedisTrips);

  const instanceId = overrides.instanceId ?? randomUUID();
  const health = createHealth({ redis: client, mode: config.mode.kind, probeApi: () => bot.api.getMe() });
  sawPoll = health.sawInbound;
  const pacing = createPacingRepository(client);
  if (config.floodLimits) window = groupWindow(pacing, config.pacing.groupPerMinute, logger);
  const updates = createUpdatesRepository(client, instanceId);
  // One reading of the translations for the services' `t` and the bot's ctx.t (whose locale follows the update).
  const i18n = createI18n<BotContext>(config.defaultLocale, (ctx) => memberLocale(services.groups)(ctx));
  const t = translatorOf(i18n);
  const services = createServices({
    config,
    logger,
    redis: client,
    api: bot.api,
    curriculum,
    clock: overrides.clock ?? systemClock,
    // One line of sends for every instance, shared with the outbox.
    pacer: overrides.pacer ?? createSharedPacer(pacing, config.pacing.botPerSecond),
    t,
    instanceId,
  });
  services.scheduler.observeLag((lateMs) => metrics.schedulerLag.observe(lateMs / 1000));

  const routes = services.features.flatMap((f) => (f.http ? [f.http] : []));
  let stopHeartbeat: (() => Promise<void>) | undefined;
  let intake: Intake | undefined;
  let menus: Promise<void> | undefined;
  return {
    config, bot, services, redis: client, logger, metrics, health, t, instanceId,

    async start() {
      // Polling: the webhook is removed as soon as the token is known good, while the heartbeat's first beat goes out
      // and the bot is wired; polling waits for it (else Telegram answers 409). A failed getMe is start()'s to report.
      const webhookGone = run.updates && config.mode.kind === "polling" ? me.then(() => dropWebhook(bot, logger), () => undefined) : undefined;
      const [beat] = await Promise.all([run.heartbeat ? startHeartbeat(updates, logger) : undefined, me]);
      stopHeartbeat = beat;
      // The groups composer needs the bot's username, known only after getMe.
      installBot(bot, config, { logger, redis: client, services, i18n, ops: { updates, metrics, onUpdate: health.sawInbound } });
      if (run.updates) intake = await startIntake({ config, bot, redis: client, updates, metrics, health, logger, t, instanceId, webhookGone, routes });
      // What need not precede the first getUpdates (the menus, the clock, the outbox and its BullMQ chunk) starts once
      // that request is on its way; start() still returns only when all of it runs.
      if (run.updates && config.mode.kind === "polling") await firstPoll.sent;
      // Not awaited (the menus are no reason to hold start-up), but stop() waits for it: no call outlives the app.
      if (run.commands) menus = registerCommands(bot.api, t, logger, { organizerIds: config.organizerIds, defaultLocale: config.defaultLocale });
      if (run.scheduler) services.scheduler.start();
      if (run.outbox) services.outbox.start();
      metrics.setOutboxDepthSource(() => services.outbox.depth());
    },

    async stop() {
      // Stop taking updates, then let the handlers in flight finish (bounded) before Redis closes.
      // The menus start() began are waited for beside the drain, bounded like it: a Bot API server that holds a
      // request must not hold the shutdown with it.
      const deadline = Date.now() + DRAIN_MS;
      const [drained] = await Promise.all([intake?.stop(DRAIN_MS), menus && within(menus, DRAIN_MS)]);
      if (drained === false) logger.warn("shutting down with updates still in flight; another instance or a restart takes them over");
      await services.scheduler.stop();
      // What the features run on their own (live-count edits, album relays, syncs) ends before the outbox and Redis
      // close: a call after Redis's quit fails with "Connection is closed". Bounded by what is left of the drain.
      const featuresDone = await within(Promise.all(services.features.map((f) => f.stop?.())), Math.max(1000, deadline - Date.now()));
      if (!featuresDone) logger.warn("shutting down with a feature's own work still running");
      // Waits for the jobs running here; what is left stays queued for the other instances.
      await services.outbox.stop();
      await stopHeartbeat?.();
      // A quit can fail only as "Connection is closed" (a late command broke the socket before its OK was read): closed either way.
      if (!overrides.redis) await client.quit().catch(() => client.disconnect());
      await embedded?.stop();
    },
  };
}

/** The build's id (tools/bundle.mjs); absent when the TypeScript runs as it is. */
declare const SANXUE_BUILD: string | undefined;

/**
 * The compiled bot keeps the checked curriculum between starts (content/content-cache.ts) and loads the parsers only
 * when the content changed; `npm run dev` and the tests read it every time.
 */
async function readContent(dir: string, logger: Logger, selfHostedApi: boolean): Promise<Curriculum> {
  const load = (from: string) => loadCurriculum(from, { selfHostedApi });
  // The media limits depend on the Bot API server, so a cache made for one is not used for the other.
  const { curriculum, cached } =
    typeof SANXUE_BUILD === "string"
      ? await cachedCurriculum(dir, { dir: defaultCacheDir(), version: `${SANXUE_BUILD}:${selfHostedApi ? "self-hosted" : "telegram"}` }, load)
      : { curriculum: await load(dir), cached: false };
  logger.info({ lessons: curriculum.lessons.length, dir, cached }, "content loaded");
  for (const note of curriculum.notes) logger.warn({ file: note.file, field: note.field }, note.message);
  return curriculum;
}

/** Whether `work` settled within `ms` (a hung Bot API call must not hold the shutdown; the process's hard stop is 15 s). */
function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  return Promise.race([work.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref())]);
}

const passThrough: Transformer = (prev, method, payload, signal) => prev(method, payload, signal);

/** A transformer that notes the first getUpdates: `sent` resolves once that request has left for the Bot API. */
function pollSeen(): { transformer: Transformer; sent: Promise<void> } {
  let seen: () => void = () => undefined;
  const sent = new Promise<void>((resolve) => (seen = resolve));
  return {
    sent,
    transformer: (prev, method, payload, signal) => {
      const call = prev(method, payload, signal);
      // The request is written on a later turn of the event loop (after the socket is assigned): resolve after that.
      if (method === "getUpdates") setImmediate(seen);
      return call;
    },
  };
}

async function getMeWithRetry(bot: Bot<BotContext>, logger: Logger): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await bot.init();
      return;
    } catch (err) {
      // Telegram refused the token: no retry will change that (network errors and 5xx still retry).
      if (err instanceof GrammyError && err.error_code === 401)
        throw new StartupError("BOT_TOKEN was refused by Telegram (401 Unauthorized from getMe): check the token with @BotFather");
      if (attempt >= 10) throw err;
      logger.warn({ err: { message: (err as Error).message }, attempt }, "getMe failed; retrying");
      await new Promise((r) => setTimeout(r, Math.min(500 * attempt, 3000)));
    }
  }
}
