import type { Server } from "node:http";
import { randomUUID } from "node:crypto";
import { BotError, GrammyError } from "grammy";
import type { Update } from "grammy/types";
import { parseConfig, ConfigError, type Config } from "./config/config.js";
import { loadCurriculum, ContentError, formatProblem } from "./content/index.js";
import { ALLOWED_UPDATES, createApiBot, installBot } from "./bot/create-bot.js";
import { registerCommands } from "./bot/commands.js";
import { createServices } from "./bot/services.js";
import { createI18n, translatorOf } from "./shared/i18n.js";
import { createLogger, scrubSecrets, type Logger } from "./shared/logger.js";
import { guardProcessOutput, logFatalExceptions } from "./shared/process-output.js";
import { connectRedis } from "./shared/redis.js";
import { startEmbeddedRedis, type EmbeddedRedis } from "./shared/embedded-redis.js";
import { createPacingRepository, createSharedPacer, groupWindow } from "./outbox/index.js";
import { GROUP_MESSAGES_PER_MINUTE } from "./floods/index.js";
import { systemClock } from "./shared/clock.js";
import {
  apiMetrics, createHealth, createMetrics, createOpsServer, createUpdateJournal, createUpdatesRepository, createWebhookReceiver,
  ensureWebhook, listen, startHeartbeat, startPolling, type Polling, type UpdateJournal, type WebhookReceiver,
} from "./ops/index.js";

/** In-flight handlers get this long to finish on SIGTERM before Redis is closed under them. */
const DRAIN_MS = 10_000;

/** Start-up failures: one JSON line on stderr, then exit 1. */
function die(message: string, secrets: string[] = []): never {
  const line = JSON.stringify({ level: 60, time: Date.now(), app: "sanxue", msg: scrubSecrets(message, secrets) });
  process.stderr.write(`${line}\n`);
  process.exit(1);
}

async function getMeWithRetry(bot: ReturnType<typeof createApiBot>, logger: Logger, secrets: string[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await bot.init();
      return;
    } catch (err) {
      // Telegram refused the token: no retry will change that (network errors and 5xx still retry).
      if (err instanceof GrammyError && err.error_code === 401)
        die("BOT_TOKEN was refused by Telegram (401 Unauthorized from getMe): check the token with @BotFather", secrets);
      if (attempt >= 10) throw err;
      logger.warn({ err: { message: (err as Error).message }, attempt }, "getMe failed; retrying");
      await new Promise((r) => setTimeout(r, Math.min(500 * attempt, 3000)));
    }
  }
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = parseConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) die(`configuration error: ${err.message}`);
    throw err;
  }
  const secrets = [config.botToken, config.mode.kind === "webhook" ? config.mode.secret : ""];
  const logger = createLogger({ level: config.logLevel, secrets });
  guardProcessOutput(logger, secrets);
  logFatalExceptions(logger);

  let curriculum;
  try {
    curriculum = await loadCurriculum(config.contentDir);
  } catch (err) {
    if (err instanceof ContentError) die(`content error in ${config.contentDir}:\n${err.problems.map(formatProblem).join("\n")}`, secrets);
    throw err;
  }
  logger.info({ lessons: curriculum.lessons.length, dir: config.contentDir }, "content loaded");

  let embedded: EmbeddedRedis | undefined;
  let redisUrl = config.redisUrl;
  if (!redisUrl && !config.redisCluster) {
    try {
      embedded = await startEmbeddedRedis(config.dataDir, logger);
    } catch (err) {
      die((err as Error).message, secrets);
    }
    redisUrl = embedded.url;
  }
  const redis = await connectRedis(config.redisCluster ?? redisUrl ?? "", logger);

  // Operations: metrics, health, update claims (ops/). The API transformer counts every Bot API call.
  const instanceId = randomUUID();
  const metrics = createMetrics();
  const health = createHealth({ redis, mode: config.mode.kind, probeApi: () => bot.api.getMe() });
  const pacing = createPacingRepository(redis);
  const bot = createApiBot(
    config,
    undefined,
    apiMetrics(metrics, (method) => method === "getUpdates" && health.sawInbound()),
    // Every message into a group, replies included, counts in the group's window with the pushes.
    config.floodLimits ? groupWindow(pacing, GROUP_MESSAGES_PER_MINUTE, logger) : undefined,
  );
  const updates = createUpdatesRepository(redis, instanceId);
  const stopHeartbeat = await startHeartbeat(updates, logger);
  await getMeWithRetry(bot, logger, secrets);
  const i18n = createI18n(config.defaultLocale, () => undefined);
  const t = translatorOf(i18n);
  const services = createServices({
    config,
    logger,
    redis,
    api: bot.api,
    curriculum,
    clock: systemClock,
    // one line of sends for every instance, shared with the outbox (28/s: room for replies under ~30/s)
    pacer: createSharedPacer(pacing, 28),
    t,
    instanceId,
  });
  installBot(bot, config, { logger, redis, services, ops: { updates, metrics, onUpdate: health.sawInbound } });
  services.scheduler.observeLag((lateMs) => metrics.schedulerLag.observe(lateMs / 1000));
  void registerCommands(bot.api, t, logger, config.organizerIds);

  // The bot's error handler sees every failed update, whichever way it came in.
  const handle = async (u: Update): Promise<void> => {
    try {
      await bot.handleUpdate(u);
    } catch (err) {
      if (!(err instanceof BotError)) throw err;
      await bot.errorHandler(err);
    }
  };
  let polling: Polling | undefined;
  let journal: UpdateJournal | undefined;
  let server: Server | undefined;
  let receiver: WebhookReceiver | undefined;
  if (config.mode.kind === "webhook") {
    // Every instance serves the webhook; an update is journaled in Redis, answered 200 and handled here.
    const { url, secret, port } = config.mode;
    const path = new URL(url).pathname;
    receiver = createWebhookReceiver({ secret, updates, handle, logger, metrics, onRequest: health.sawInbound });
    server = createOpsServer({ health, metrics, logger, webhook: { path, request: receiver.request } });
    await listen(server, port);
    receiver.start();
    const wanted = { url, secret, allowedUpdates: ALLOWED_UPDATES };
    const webhook = await ensureWebhook(bot.api, redis, wanted, logger, instanceId);
    logger.info({ port, path, webhook }, "webhook server listening");
  } else {
    if (config.metricsPort) {
      server = createOpsServer({ health, metrics, logger });
      await listen(server, config.metricsPort);
      logger.info({ port: config.metricsPort }, "health and metrics listening");
    }
    await bot.api.deleteWebhook().catch((err: unknown) => logger.warn({ err }, "deleteWebhook failed"));
    // Polling journals each fetched update in Redis before confirming it, like the webhook (ops/polling.ts).
    journal = createUpdateJournal({ updates, handle, logger, metrics });
    const busyText = t(config.defaultLocale, "groups-try-again");
    polling = startPolling({ api: bot.api, updates, journal, logger, allowedUpdates: ALLOWED_UPDATES, busyText });
    logger.info({ bot: bot.botInfo.username }, "long polling started");
  }
  services.scheduler.start();
  services.outbox.start();
  metrics.setOutboxDepthSource(() => services.outbox.depth());

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const hardStop = setTimeout(() => process.exit(1), 15_000);
    hardStop.unref();
    try {
      // Stop taking updates, then let the handlers in flight finish (bounded) before Redis closes.
      await polling?.stop();
      const closed = new Promise<void>((r) => (server ? server.close(() => r()) : r()));
      const drained = await (receiver ?? journal)?.drain(DRAIN_MS);
      if (drained === false) logger.warn("shutting down with updates still in flight; another instance or a restart takes them over");
      await closed;
      await services.scheduler.stop();
      // Waits for the jobs running here; what is left stays queued for the other instances.
      await services.outbox.stop();
      await stopHeartbeat();
      await redis.quit();
      await embedded?.stop();
    } catch (err) {
      logger.error({ err }, "error while shutting down");
    }
    logger.info("stopped");
    logger.flush();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("unhandledRejection", (err) => logger.error({ err }, "unhandled rejection"));
}

main().catch((err: unknown) => {
  // No stack trace for the operator, but the cause, without secrets.
  const message = err instanceof Error ? err.message : String(err);
  die(`start-up failed: ${message}`, [process.env.BOT_TOKEN ?? "", process.env.WEBHOOK_SECRET ?? ""]);
});

