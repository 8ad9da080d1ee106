import pino, { type Logger } from "pino";
import { redactLogObject } from "./log-redaction.js";
import { scopedStore } from "./scoped-store.js";

export type { Logger };

// Anything shaped like a bot token, wherever it appears (URLs in errors, stack traces, params).
const TOKEN_PATTERN = /\d{5,12}:[A-Za-z0-9_-]{20,}/g;

/** Replaces the token (and anything shaped like one) in an already serialised log line. */
export function scrubSecrets(line: string, secrets: readonly string[] = []): string {
  let out = line;
  for (const secret of secrets) if (secret) out = out.split(secret).join("[redacted]");
  return out.replace(TOKEN_PATTERN, "[redacted]");
}

/** What every line logged while an update is handled carries (its `update_id`). */
type UpdateBindings = Readonly<Record<string, string | number>>;

const currentUpdate = scopedStore<UpdateBindings>();

/**
 * Runs `work` (the rest of an update's middleware) so that every line logged inside it, by any
 * logger made here (a service's own, made at start-up, too), carries `bindings`.
 */
export function inUpdate<T>(bindings: UpdateBindings, work: () => Promise<T>): Promise<T> {
  return currentUpdate.run(bindings, work);
}

/** The update's bindings for a line, unless the logger already carries them (`ctx.log`, its children). */
function updateMixin(_line: object, _level: number, logger: Logger): object {
  const bindings = currentUpdate.getStore();
  if (!bindings) return {};
  // pino keeps a logger's bindings serialised; a child of the update's logger has them already.
  const own = (logger as unknown as Record<symbol, unknown>)[pino.symbols.chindingsSym];
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(bindings)) if (typeof own !== "string" || !own.includes(`"${key}":`)) out[key] = value;
  return out;
}

export interface LoggerOptions {
  level: string;
  /** Strings that must never reach a log line (the bot token, the webhook secret). */
  secrets?: readonly string[];
  /** Where lines go; defaults to stdout. */
  destination?: pino.DestinationStream;
}

/**
 * The one way to make a logger here: JSON lines, secrets scrubbed from every line, and what people
 * wrote (texts, names, reasons, questions; also inside Telegram errors' payloads) left out.
 */
export function createLogger(options: LoggerOptions): Logger {
  const secrets = (options.secrets ?? []).filter((s) => s.length > 0);
  return pino(
    {
      level: options.level,
      base: { app: "sanxue" },
      mixin: updateMixin,
      redact: { paths: ["token", "*.token", "config.botToken", "botToken"], censor: "[redacted]" },
      formatters: { log: redactLogObject, bindings: redactLogObject },
      // `err` is already reduced by redactLogObject; pino's own serializer would copy every field back.
      serializers: { err: (value: unknown) => value },
      hooks: { streamWrite: (line) => scrubSecrets(line, secrets) },
    },
    options.destination ?? pino.destination({ fd: 1, sync: false }),
  );
}
