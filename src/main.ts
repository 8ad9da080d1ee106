import { createServer, type Server } from "node:http";
import { randomUUID } from "node:crypto";
import { run, type RunnerHandle } from "@grammyjs/runner";
import { webhookCallback } from "grammy";
import { parseConfig, ConfigError, type Config } from "./config/config.js";
import { loadCurriculum, ContentError, formatProblem } from "./content/index.js";
import { ALLOWED_UPDATES, createApiBot, installBot } from "./bot/create-bot.js";
import { registerCommands } from "./bot/commands.js";
import { createServices } from "./bot/services.js";
import { createI18n, translatorOf } from "./shared/i18n.js";
import { createLogger, scrubSecrets, type Logger } from "./shared/logger.js";
import { connectRedis } from "./shared/redis.js";
import { startEmbeddedRedis, type EmbeddedRedis } from "./shared/embedded-redis.js";
import { createPacer } from "./shared/pacer.js";
import { systemClock } from "./shared/clock.js";
import { globalKey } from "./shared/keys.js";

/** Start-up failures: one JSON line on stderr, then exit 1. */
function die(message: string, secrets: string[] = []): never {
  const line = JSON.stringify({ level: 60, time: Date.now(), app: "sanxue", msg: scrubSecrets(message, secrets) });
  process.stderr.write(`${line}\n`);
  process.exit(1);
}

async function getMeWithRetry(bot: ReturnType<typeof createApiBot>, logger: Logger): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await bot.init();
      return;
    } catch (err) {
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
  if (!redisUrl) {
    try {
      embedded = await startEmbeddedRedis(config.dataDir, logger);
    } catch (err) {
      die((err as Error).message, secrets);
    }
    redisUrl = embedded.url;
  }
  const redis = await connectRedis(redisUrl, logger);

  const bot = createApiBot(config);
  await getMeWithRetry(bot, logger);
  const i18n = createI18n(config.defaultLocale, () => undefined);
  const t = translatorOf(i18n);
  const services = createServices({
    config,
    logger,
    redis,
    api: bot.api,
    curriculum,
    clock: systemClock,
    pacer: createPacer(25),
    t,
    instanceId: randomUUID(),
  });
  installBot(bot, config, { logger, redis, services });
  void registerCommands(bot.api, t, logger);

  let runner: RunnerHandle | undefined;
  let server: Server | undefined;
  if (config.mode.kind === "webhook") {
    const { url, secret, port } = config.mode;
    const path = new URL(url).pathname;
    const handle = webhookCallback(bot, "http", { secretToken: secret, onTimeout: "return", timeoutMilliseconds: 9000 });
    server = createServer((req, res) => {
      if (req.method === "POST" && req.url?.split("?")[0] === path) return void handle(req, res);
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server?.listen(port, r));
    // One instance sets the webhook; the others see the claim and leave it alone.
    const claimed = await redis.set(globalKey("webhook", "set"), url, "EX", 300, "NX");
    if (claimed === "OK") await bot.api.setWebhook(url, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] });
    logger.info({ port, path }, "webhook server listening");
  } else {
    await bot.api.deleteWebhook().catch((err: unknown) => logger.warn({ err }, "deleteWebhook failed"));
    runner = run(bot, { runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] } } });
    logger.info({ username: bot.botInfo.username }, "long polling started");
  }
  services.scheduler.start();
  services.outbox.start();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const hardStop = setTimeout(() => process.exit(1), 15_000);
    hardStop.unref();
    try {
      if (runner?.isRunning()) await runner.stop();
      await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
      await services.scheduler.stop();
      // Waits for the jobs running here; what is left stays queued for the other instances.
      await services.outbox.stop();
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
  die(`start-up failed: ${message}`, [process.env.BOT_TOKEN ?? ""]);
});

