import { parseArgs } from "node:util";
import { Api } from "grammy";
import pino from "pino";
import { ConfigError, parseConfig } from "../../config/config.js";
import { isSelfHostedApi } from "../../content/index.js";
import { startEmbeddedRedis, type EmbeddedRedis } from "../../shared/embedded-redis.js";
import { createLogger, scrubSecrets } from "../../shared/logger.js";
import { newRedisClient, type RedisClient } from "../../shared/redis.js";
import { createMediaUploadsRepository } from "../media-uploads.repository.js";
import { createAuthoringRepository } from "./authoring.repository.js";
import { exportWrittenLessons, ExportError, type DownloadFile } from "./export.js";

// `npm run content:export [-- --out DIR]`: the lessons written in Telegram as lesson files in CONTENT_DIR (or DIR),
// from the same environment the bot starts with. Exit code 0 when everything asked was written.
const USAGE = "usage: npm run content:export [-- --out <content folder>]   (default: CONTENT_DIR)";

async function main(): Promise<number> {
  let out: string | undefined;
  try {
    const { values } = parseArgs({ options: { out: { type: "string" }, help: { type: "boolean", short: "h" } }, strict: true });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    out = values.out;
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  let config;
  try {
    config = parseConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`configuration: ${err.message} (every variable is listed in .env.example)`);
    return 1;
  }
  const logger = createLogger({ level: "warn", secrets: [config.botToken], destination: pino.destination({ fd: 2, sync: true }) });
  let embedded: EmbeddedRedis | undefined;
  let redis: RedisClient | undefined;
  try {
    if (!config.redisUrl && !config.redisCluster) embedded = await startEmbeddedRedis(config.dataDir, logger);
    const target = config.redisCluster ?? config.redisUrl ?? embedded?.url ?? "";
    redis = newRedisClient(target, { maxRetriesPerRequest: 1 });
    let cause: string | undefined;
    redis.on("error", (err: Error) => (cause ??= err.message));
    await withTimeout(redis.connect(), 10_000).catch(() => {
      throw new ExportError([`Redis unreachable (${cause ?? "no answer in 10 s"}); start it, or correct REDIS_URL; nothing was written`]);
    });
    const api = new Api(config.botToken, { apiRoot: config.telegramApiRoot });
    const fileRoot = `${config.telegramApiRoot}/file/bot${config.botToken}`;
    const download: DownloadFile = async (fileId) => {
      const file = await api.getFile(fileId);
      if (!file.file_path) throw new Error("Telegram gave no file path (larger than 20 MB?)");
      const res = await fetch(`${fileRoot}/${file.file_path}`);
      if (!res.ok) throw new Error(`download answered ${res.status}`);
      return Buffer.from(await res.arrayBuffer());
    };
    const dir = out ?? config.contentDir;
    const report = await exportWrittenLessons({
      repo: createAuthoringRepository(redis),
      uploads: createMediaUploadsRepository(redis),
      download,
      dir,
      selfHostedApi: isSelfHostedApi(config.telegramApiRoot),
    });
    const lessons = report.written.filter((f) => f.endsWith(".md")).length;
    console.log(`exported ${lessons} lesson(s), ${report.written.length - lessons} media file(s) into ${dir}`);
    for (const f of report.written) console.log(`  wrote ${f}`);
    for (const s of report.skipped) console.log(`skipped ${s}`);
    for (const w of report.warnings) console.log(`note: ${w}`);
    return 0;
  } catch (err) {
    if (!(err instanceof ExportError)) throw err;
    for (const p of err.problems) console.error(scrubSecrets(p, [config.botToken]));
    return 1;
  } finally {
    redis?.disconnect();
    if (embedded && !embedded.reused) await embedded.stop();
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timeout")), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

process.exitCode = await main();
