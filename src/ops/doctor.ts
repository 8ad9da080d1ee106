import { spawnSync } from "node:child_process";
import { accessSync, constants, mkdirSync } from "node:fs";
import { Api, GrammyError } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { parseConfig, ConfigError, type Config } from "../config/config.js";
import { isSelfHostedApi, loadCurriculum, ContentError, formatProblem } from "../content/index.js";
import { findCjkFont } from "../reports/index.js";
import { mastersOf, newRedisClient } from "../shared/redis.js";

/** One line of the checklist: what was checked, and how to fix it when it failed. */
export interface DoctorLine {
  ok: boolean;
  what: string;
  fix?: string;
}

type Env = Record<string, string | undefined>;

/**
 * `npm run doctor`: checks a real set-up before the first start, line by line, without starting the bot
 * or changing anything (no setWebhook, no writes to Redis).
 */
export async function runDoctor(env: Env, opts: { timeoutMs?: number } = {}): Promise<DoctorLine[]> {
  const timeoutMs = opts.timeoutMs ?? 5000;
  let config: Config;
  try {
    config = parseConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return [
      {
        ok: false,
        what: `configuration: ${err.message}`,
        fix: "set the variable as it says (every variable is listed in .env.example)",
      },
    ];
  }
  const lines: DoctorLine[] = [
    {
      ok: true,
      what: `configuration valid (${config.mode.kind === "webhook" ? "webhook" : "long polling"} mode)`,
    },
  ];
  lines.push(await checkContent(config));
  lines.push(await checkRedis(config, timeoutMs));
  const api = new Api(config.botToken, {
    apiRoot: config.telegramApiRoot,
    timeoutSeconds: Math.ceil(timeoutMs / 1000),
  });
  const me = await checkToken(api, lines);
  if (me) {
    lines.push(
      me.can_read_all_group_messages
        ? {
            ok: false,
            what: "privacy mode is off: the bot receives every message in its groups",
            fix: "in @BotFather: /setprivacy → choose the bot → Enable (the bot needs only commands and buttons)",
          }
        : { ok: true, what: "privacy mode on, as documented" },
    );
    lines.push(await checkExperts(api, config, me));
    lines.push(await checkWebhook(api, config));
  }
  const font = findCjkFont();
  lines.push(
    font
      ? { ok: true, what: `CJK font for charts: ${font.file}` }
      : {
          ok: false,
          what: "no CJK font: the weekly chart will show Chinese as boxes",
          fix: "apt-get install -y fonts-wqy-microhei",
        },
  );
  return lines;
}

async function checkContent(config: Config): Promise<DoctorLine> {
  try {
    const curriculum = await loadCurriculum(config.contentDir, { selfHostedApi: isSelfHostedApi(config.telegramApiRoot) });
    return { ok: true, what: `content in ${config.contentDir}: ${curriculum.lessons.length} lessons` };
  } catch (err) {
    if (!(err instanceof ContentError)) throw err;
    const first = err.problems[0];
    return {
      ok: false,
      what: `content in ${config.contentDir} has ${err.problems.length} problem(s)${first ? `, first: ${formatProblem(first)}` : ""}`,
      fix: "npm run content:check lists every problem with its fix",
    };
  }
}

async function checkRedis(config: Config, timeoutMs: number): Promise<DoctorLine> {
  const target = config.redisCluster ?? config.redisUrl;
  if (!target) {
    const found = spawnSync("redis-server", ["--version"], { encoding: "utf8" });
    if (found.error || found.status !== 0)
      return {
        ok: false,
        what: "REDIS_URL is not set and redis-server is not on PATH",
        fix: "apt-get install -y redis-server, or set REDIS_URL",
      };
    try {
      mkdirSync(config.dataDir, { recursive: true });
      accessSync(config.dataDir, constants.W_OK);
    } catch {
      return {
        ok: false,
        what: `DATA_DIR ${config.dataDir} is not writable`,
        fix: "make it writable by the bot's user, or set DATA_DIR",
      };
    }
    return {
      ok: true,
      what: `REDIS_URL not set: the bot starts its own redis-server (append-only file on), data in ${config.dataDir}`,
    };
  }
  const where =
    typeof target === "string" ? hostOf(target) : target.nodes.map((n) => `${n.host}:${n.port}`).join(",");
  const redis = newRedisClient(target, { maxRetriesPerRequest: 0 });
  let cause: string | undefined;
  redis.on("error", (err: Error) => (cause ??= err.message)); // reported below, once
  try {
    await withTimeout(redis.connect(), timeoutMs);
    for (const node of mastersOf(redis)) {
      const info = await withTimeout(node.info("persistence"), timeoutMs);
      if (!/aof_enabled:1/.test(info))
        return {
          ok: false,
          what: `Redis at ${where} answers, but the append-only file is off`,
          fix: "start redis-server with --appendonly yes (or CONFIG SET appendonly yes): acknowledged sign-ins must survive a restart",
        };
    }
    return { ok: true, what: `Redis at ${where} reachable, append-only file on` };
  } catch (err) {
    return {
      ok: false,
      what: `Redis at ${where} unreachable: ${cause ?? (err as Error).message}`,
      fix: "start Redis, or correct REDIS_URL",
    };
  } finally {
    redis.disconnect();
  }
}

async function checkToken(api: Api, lines: DoctorLine[]): Promise<UserFromGetMe | undefined> {
  try {
    const me = await api.getMe();
    lines.push({ ok: true, what: `token accepted: @${me.username}` });
    return me;
  } catch (err) {
    if (err instanceof GrammyError && err.error_code === 401)
      lines.push({
        ok: false,
        what: "the token was refused by Telegram (401 Unauthorized)",
        fix: "copy the token again from @BotFather (/token) into BOT_TOKEN",
      });
    else
      lines.push({
        ok: false,
        what: `the Bot API could not be reached: ${describe(err)}`,
        fix: "check the network, or TELEGRAM_API_ROOT",
      });
    return undefined;
  }
}

async function checkExperts(api: Api, config: Config, me: UserFromGetMe): Promise<DoctorLine> {
  const id = config.expertsChatId;
  if (id === undefined)
    return { ok: true, what: "EXPERTS_CHAT_ID not set: /ask tells members that no experts are set up" };
  try {
    const chat = await api.getChat(id);
    const member = await api.getChatMember(id, me.id);
    if (member.status !== "administrator" && member.status !== "creator")
      return {
        ok: false,
        what: `the experts' chat ${id} is reachable, but the bot is ${member.status} there`,
        fix: "make the bot an administrator of the experts' chat (it creates a topic per track and sees every reply)",
      };
    return {
      ok: true,
      what: `experts' chat ${id} reachable (${chat.type}${"is_forum" in chat && chat.is_forum ? ", forum" : ""}), the bot an administrator`,
    };
  } catch (err) {
    return {
      ok: false,
      what: `the experts' chat ${id} is not reachable: ${describe(err)}`,
      fix: "add the bot to the experts' chat as an administrator, and check EXPERTS_CHAT_ID (supergroup ids start with -100)",
    };
  }
}

async function checkWebhook(api: Api, config: Config): Promise<DoctorLine> {
  try {
    const info = await api.getWebhookInfo();
    if (config.mode.kind === "polling")
      return {
        ok: true,
        what: info.url
          ? "long polling: a webhook is set and the bot removes it at start"
          : "long polling: no webhook set",
      };
    const wanted = config.mode.url;
    const lastError = info.last_error_message
      ? ` (last delivery error ${new Date((info.last_error_date ?? 0) * 1000).toISOString()}: ${info.last_error_message})`
      : "";
    if (!info.url) return { ok: true, what: "webhook not set yet: the bot sets it to WEBHOOK_URL at start" };
    if (info.url !== wanted)
      return {
        ok: false,
        what: `Telegram posts updates to another URL than WEBHOOK_URL${lastError}`,
        fix: "the bot re-sets it at start; if another deployment uses this token, stop it first",
      };
    if (lastError)
      return {
        ok: false,
        what: `webhook set to WEBHOOK_URL, but Telegram could not deliver${lastError}`,
        fix: "make WEBHOOK_URL reachable over https from the internet, with a valid certificate",
      };
    return { ok: true, what: `webhook set to WEBHOOK_URL, ${info.pending_update_count} update(s) pending` };
  } catch (err) {
    return {
      ok: false,
      what: `getWebhookInfo failed: ${describe(err)}`,
      fix: "check the network, or TELEGRAM_API_ROOT",
    };
  }
}

/** The checklist as printed: one line per check, its fix after a dash. */
export function formatDoctor(lines: DoctorLine[]): string {
  return lines
    .map((l) => `${l.ok ? "✓" : "✗"} ${l.what}${l.ok || !l.fix ? "" : ` — fix: ${l.fix}`}`)
    .join("\n");
}

/** host:port of a Redis URL, never its credentials. */
function hostOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || "6379"}`;
  } catch {
    return "REDIS_URL";
  }
}

function describe(err: unknown): string {
  if (err instanceof GrammyError) return `${err.error_code} ${err.description}`;
  return err instanceof Error ? err.message : String(err);
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e: unknown) => (clearTimeout(timer), reject(e instanceof Error ? e : new Error(String(e)))),
    );
  });
}
