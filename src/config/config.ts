// zod/mini: the functional build of zod. With it the start compiles zod's core only; the classic API and the content
// schemas built on it load with the content check (tools/bundle.mjs fails the build if they are compiled at start).
import * as z from "zod/mini";
import { isValidTimeZone } from "../shared/week.js";
import type { ClusterTarget } from "../shared/redis.js";
import { parseRedisTarget, RedisTargetError, type RedisTargetConfig } from "./redis-target.js";
import { isLoopbackApiRoot, SIMULATOR_TOKEN } from "./simulator-token.js";

/** Configuration as the app uses it, parsed once from the environment (PRODUCT.md, "Configuration"). */
export interface Config {
  botToken: string;
  /** One Redis server. Unset (and no `redisCluster`): start a local redis-server with data under `dataDir`. */
  redisUrl?: string;
  /** A Redis Cluster (REDIS_URL=redis+cluster://… or REDIS_CLUSTER_NODES). */
  redisCluster?: ClusterTarget;
  dataDir: string;
  telegramApiRoot: string;
  contentDir: string;
  defaultTimezone: string;
  defaultLocale: "zh" | "en";
  organizerIds: number[];
  expertsChatId?: number;
  mode: { kind: "polling" } | { kind: "webhook"; url: string; secret: string; port: number };
  logLevel: string;
  /** Polling mode: where `/healthz` and `/metrics` are served (webhook mode serves them on PORT). */
  metricsPort?: number;
  /** The organiser console (PUBLIC_URL set): its public base and the port of the HTTP server that serves it; off when absent. */
  console?: ConsoleConfig;
  /** How late a missed scheduled push may still be sent after a restart. */
  catchupGraceMinutes: number;
  /** Flood limits (src/floods/limits.ts) and the per-group message window; off only against a Bot API without Telegram's limits. */
  floodLimits: boolean;
  /** Lesson media keep Telegram's file id in Redis (uploaded once per deployment); off uploads on every send (the bench's baseline). */
  mediaCache: boolean;
  /** How fast the bot sends; every part that paces reads it here. */
  pacing: Pacing;
}

/** Telegram's limits on a bot's sends, with room to spare, and how many outbox jobs one instance runs at once. */
export interface Pacing {
  /** The one Redis-wide line every instance's paced sends share, at Telegram's ~30/s: each send holds its place until a second after Telegram answers, so late arrivals never make 31 in a second. */
  botPerSecond: number;
  /** Telegram's limit on the bot's messages into one group per minute, shared by everything the bot sends there. */
  groupPerMinute: number;
  /** Outbox jobs one instance runs at once. */
  outboxConcurrency: number;
  /** At most one live-count edit of a sign-in message this often, across every instance (edits count in the group's window). */
  liveEditIntervalMs: number;
}

/**
 * Where the console lives. `publicUrl` has no trailing slash; the page is `<publicUrl>/console/`. The bot serves it
 * on its one HTTP server: PORT in webhook mode; when polling, METRICS_PORT if set, else PORT (default 8080).
 */
export interface ConsoleConfig {
  publicUrl: string;
  port: number;
  /**
   * CONSOLE_APP_NAME: the short name of the Mini App registered with @BotFather (`/newapp`, URL `<PUBLIC_URL>/console/`).
   * When set, group messages link straight into the app (`t.me/<bot>/<app>?startapp=g<group>`); else into the private chat.
   */
  appName?: string;
}

export const DEFAULT_PACING: Readonly<Pacing> = { botPerSecond: 30, groupPerMinute: 20, outboxConcurrency: 16, liveEditIntervalMs: 5000 };

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly expected: string,
  ) {
    super(`${variable}: ${expected}`);
    this.name = "ConfigError";
  }
}

const TOKEN = /^\d{3,15}:[A-Za-z0-9_-]{20,}$/;
const WEBHOOK_SECRET = /^[A-Za-z0-9_-]{16,256}$/;
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);
const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

type Env = Record<string, string | undefined>;

function text(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

function check<T>(name: string, schema: z.ZodMiniType<T>, value: unknown, expected: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new ConfigError(name, expected);
  return r.data;
}

const url = z.url({ protocol: /^https?$/ });
/** A whole number (in the safe integer range) from `min` to `max`, from the variable's text. */
const whole = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().check(z.refine((n) => Number.isSafeInteger(n) && n >= min && n <= max));
const chatId = z.coerce.number().check(z.refine((n) => Number.isSafeInteger(n) && n !== 0));
const portNumber = whole(1, 65535);
const userIdNumber = whole(1);

/**
 * Parses the environment; throws ConfigError naming the first wrong variable.
 * `requireToken` is false for tools that run without Telegram (content check, demo).
 */
export function parseConfig(env: Env, options: { requireToken?: boolean } = {}): Config {
  const token = text(env, "BOT_TOKEN");
  if (options.requireToken !== false && !token)
    throw new ConfigError("BOT_TOKEN", "required: the bot's token from @BotFather, like 123456:ABC-DEF…");
  if (token && !TOKEN.test(token))
    throw new ConfigError("BOT_TOKEN", "expected the token from @BotFather, like 123456:ABC-DEF… (digits, colon, 20+ characters)");

  let redis: RedisTargetConfig;
  try {
    redis = parseRedisTarget(text(env, "REDIS_URL"), text(env, "REDIS_CLUSTER_NODES"));
  } catch (err) {
    if (err instanceof RedisTargetError) throw new ConfigError(err.variable, err.expected);
    throw err;
  }

  const apiRoot = text(env, "TELEGRAM_API_ROOT") ?? "https://api.telegram.org";
  check("TELEGRAM_API_ROOT", url, apiRoot, "expected an http(s) URL such as https://api.telegram.org");
  if (token === SIMULATOR_TOKEN && !isLoopbackApiRoot(apiRoot))
    throw new ConfigError("BOT_TOKEN", "this is the Bot API simulator's public token (the demo's); it runs only against a simulator on 127.0.0.1 — use your bot's token from @BotFather");

  const tz = text(env, "DEFAULT_TIMEZONE") ?? "Asia/Shanghai";
  if (!isValidTimeZone(tz)) throw new ConfigError("DEFAULT_TIMEZONE", `"${tz}" is not an IANA time zone; expected e.g. Asia/Shanghai`);

  const locale = text(env, "DEFAULT_LOCALE") ?? "zh";
  if (locale !== "zh" && locale !== "en") throw new ConfigError("DEFAULT_LOCALE", `"${locale}" is not supported; expected zh or en`);

  const organizerIds = (text(env, "ORGANIZER_IDS") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => check("ORGANIZER_IDS", userIdNumber, s, `"${s}" is not a user id; expected comma-separated numeric Telegram user ids`));

  const expertsRaw = text(env, "EXPERTS_CHAT_ID");
  const expertsChatId = expertsRaw
    ? check("EXPERTS_CHAT_ID", chatId, expertsRaw, "expected a numeric chat id such as -1001234567890")
    : undefined;

  const webhookUrl = text(env, "WEBHOOK_URL");
  let mode: Config["mode"] = { kind: "polling" };
  if (webhookUrl) {
    check("WEBHOOK_URL", url, webhookUrl, "expected the public https URL Telegram posts updates to");
    const secret = text(env, "WEBHOOK_SECRET");
    // Telegram's own rule for secret_token; fewer than 16 characters is too easy to guess.
    if (!secret || !WEBHOOK_SECRET.test(secret))
      throw new ConfigError("WEBHOOK_SECRET", "required with WEBHOOK_URL: 16-256 characters of A-Z, a-z, 0-9, _ and - (e.g. openssl rand -hex 32)");
    const port = check("PORT", portNumber, text(env, "PORT") ?? "8080", "expected a TCP port number 1-65535");
    mode = { kind: "webhook", url: webhookUrl, secret, port };
  }

  const metricsRaw = text(env, "METRICS_PORT");
  const metricsPort = metricsRaw
    ? check("METRICS_PORT", portNumber, metricsRaw, "expected a TCP port number 1-65535")
    : undefined;

  const publicUrl = text(env, "PUBLIC_URL");
  let consoleConfig: ConsoleConfig | undefined;
  if (publicUrl) {
    const expected = "expected the bot's public https URL, e.g. https://sanxue.example.org (http only for 127.0.0.1 or localhost)";
    check("PUBLIC_URL", url, publicUrl, expected);
    const parsed = new URL(publicUrl);
    // Telegram opens Mini Apps over https only; plain http is for a loopback address (tests, the demo).
    if (parsed.protocol !== "https:" && !LOOPBACK.has(parsed.hostname)) throw new ConfigError("PUBLIC_URL", expected);
    if (parsed.search || parsed.hash) throw new ConfigError("PUBLIC_URL", `${expected}, without ?query or #fragment`);
    const port =
      mode.kind === "webhook"
        ? mode.port
        : (metricsPort ?? check("PORT", portNumber, text(env, "PORT") ?? "8080", "expected a TCP port number 1-65535"));
    const appName = text(env, "CONSOLE_APP_NAME");
    // Telegram's Mini App short names: 3-30 letters, digits and underscores.
    if (appName !== undefined) check("CONSOLE_APP_NAME", z.string().check(z.regex(/^[A-Za-z0-9_]{3,30}$/)), appName, "expected the Mini App's short name from @BotFather: 3-30 letters, digits or _");
    consoleConfig = { publicUrl: publicUrl.replace(/\/+$/, ""), port, ...(appName ? { appName } : {}) };
  }

  const logLevel = text(env, "LOG_LEVEL") ?? "info";
  if (!(LEVELS as readonly string[]).includes(logLevel))
    throw new ConfigError("LOG_LEVEL", `"${logLevel}" is not a level; expected one of ${LEVELS.join(", ")}`);

  const grace = check(
    "CATCHUP_GRACE_MINUTES",
    whole(0, 7 * 24 * 60),
    text(env, "CATCHUP_GRACE_MINUTES") ?? "180",
    "expected whole minutes from 0 to 10080",
  );

  const floods = text(env, "FLOOD_LIMITS") ?? "on";
  if (floods !== "on" && floods !== "off") throw new ConfigError("FLOOD_LIMITS", `"${floods}" is not a choice; expected on or off`);

  const mediaCache = text(env, "MEDIA_CACHE") ?? "on";
  if (mediaCache !== "on" && mediaCache !== "off") throw new ConfigError("MEDIA_CACHE", `"${mediaCache}" is not a choice; expected on or off`);

  return {
    botToken: token ?? "",
    redisUrl: redis.redisUrl,
    redisCluster: redis.redisCluster,
    dataDir: text(env, "DATA_DIR") ?? "./data",
    telegramApiRoot: apiRoot.replace(/\/+$/, ""),
    contentDir: text(env, "CONTENT_DIR") ?? "./content",
    defaultTimezone: tz,
    defaultLocale: locale,
    organizerIds,
    expertsChatId,
    mode,
    logLevel,
    metricsPort,
    console: consoleConfig,
    catchupGraceMinutes: grace,
    floodLimits: floods === "on",
    mediaCache: mediaCache === "on",
    pacing: { ...DEFAULT_PACING },
  };
}
