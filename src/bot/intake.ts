import type { Server } from "node:http";
import { BotError, type Bot } from "grammy";
import type { Update } from "grammy/types";
import type { Config } from "../config/config.js";
import {
  createOpsServer, createUpdateJournal, createWebhookReceiver, ensureWebhook, listen, startPolling,
  type Health, type Metrics, type UpdatesRepository,
} from "../ops/index.js";
import type { HttpRoute } from "../shared/feature.js";
import type { Translate } from "../shared/i18n.js";
import type { Logger } from "../shared/logger.js";
import type { RedisClient } from "../shared/redis.js";
import type { BotContext } from "../shared/context.js";
import { ALLOWED_UPDATES } from "./create-bot.js";

export interface IntakeDeps {
  config: Config;
  bot: Bot<BotContext>;
  redis: RedisClient;
  updates: UpdatesRepository;
  metrics: Metrics;
  health: Health;
  logger: Logger;
  t: Translate;
  instanceId: string;
  /** The features' HTTP routes (the console), served beside health and metrics. */
  routes?: readonly HttpRoute[];
  /** Polling: the deleteWebhook already sent (start() sends it early); sent here when absent. */
  webhookGone?: Promise<void>;
}

/** How updates come in, and the HTTP servers that go with it. */
export interface Intake {
  /** Takes no more updates and waits (bounded) for those in flight; false if some were still running. */
  stop(drainMs: number): Promise<boolean | undefined>;
}

/** Polling: removes a webhook left from webhook mode (Telegram refuses getUpdates while one is set); a failure is logged. */
export function dropWebhook(bot: Bot<BotContext>, logger: Logger): Promise<void> {
  return bot.api.deleteWebhook().then(
    () => undefined,
    (err: unknown) => void logger.warn({ err }, "deleteWebhook failed"),
  );
}

/**
 * Webhook mode: the webhook and ops server on PORT. Polling mode: long polling, and the ops server on METRICS_PORT if set,
 * or on the console's port (PUBLIC_URL set: config.console.port).
 */
export async function startIntake(deps: IntakeDeps): Promise<Intake> {
  const { config, bot, redis, updates, metrics, health, logger, t, routes } = deps;
  // The bot's error handler sees every failed update, whichever way it came in.
  const handle = async (u: Update): Promise<void> => {
    try {
      await bot.handleUpdate(u);
    } catch (err) {
      if (!(err instanceof BotError)) throw err;
      await bot.errorHandler(err);
    }
  };
  let server: Server | undefined;
  const closed = () => new Promise<void>((r) => (server ? server.close(() => r()) : r()));

  if (config.mode.kind === "webhook") {
    // Every instance serves the webhook; an update is journaled in Redis, answered 200 and handled here.
    const { url, secret, port } = config.mode;
    const path = new URL(url).pathname;
    const receiver = createWebhookReceiver({ secret, updates, handle, logger, metrics, onRequest: health.sawInbound });
    server = createOpsServer({ health, metrics, logger, routes, webhook: { path, request: receiver.request } });
    await listen(server, port);
    receiver.start();
    const wanted = { url, secret, allowedUpdates: ALLOWED_UPDATES };
    const webhook = await ensureWebhook(bot.api, redis, wanted, logger, deps.instanceId);
    logger.info({ port, path, webhook }, "webhook server listening");
    return {
      async stop(drainMs) {
        const done = closed();
        const drained = await receiver.drain(drainMs);
        await done;
        return drained;
      },
    };
  }

  const opsPort = config.console?.port ?? config.metricsPort;
  if (opsPort) {
    server = createOpsServer({ health, metrics, logger, routes });
    await listen(server, opsPort);
    logger.info({ port: opsPort, console: config.console !== undefined }, "health and metrics listening");
  }
  await (deps.webhookGone ?? dropWebhook(bot, logger));
  // Polling journals each fetched update in Redis before confirming it, like the webhook (ops/polling.ts).
  const journal = createUpdateJournal({ updates, handle, logger, metrics });
  const busyText = t(config.defaultLocale, "groups-try-again");
  const polling = startPolling({ api: bot.api, updates, journal, logger, allowedUpdates: ALLOWED_UPDATES, busyText, metrics });
  logger.info({ bot: bot.botInfo.username }, "long polling started");
  return {
    async stop(drainMs) {
      await polling.stop();
      const done = closed();
      const drained = await journal.drain(drainMs);
      await done;
      return drained;
    },
  };
}
