import { parseConfig, ConfigError, type Config } from "./config/config.js";
import { ContentError, formatProblem } from "./content/index.js";
import { createApp, StartupError, type App } from "./bot/create-app.js";
import { createLogger, scrubSecrets } from "./shared/logger.js";
import { guardProcessOutput, logFatalExceptions } from "./shared/process-output.js";

/** Start-up failures: one JSON line on stderr, then exit 1. */
function die(message: string, secrets: string[] = []): never {
  const line = JSON.stringify({ level: 60, time: Date.now(), app: "sanxue", msg: scrubSecrets(message, secrets) });
  process.stderr.write(`${line}\n`);
  process.exit(1);
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
  // Set by the compiled start's loader (tools/bundle-loader.mjs): whether V8's code cache was used, or why not.
  const { __sanxueCodeCache: codeCache } = globalThis as { __sanxueCodeCache?: string };
  if (codeCache) logger.info({ codeCache }, "compiled code cache");

  let app: App;
  try {
    app = await createApp(config, { logger });
    await app.start();
  } catch (err) {
    if (err instanceof ContentError) die(`content error in ${config.contentDir}:\n${err.problems.map(formatProblem).join("\n")}`, secrets);
    if (err instanceof StartupError) die(err.message, secrets);
    throw err;
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const hardStop = setTimeout(() => process.exit(1), 15_000);
    hardStop.unref();
    try {
      await app.stop();
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
