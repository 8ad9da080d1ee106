import pino, { type Logger } from "pino";
import { redactLogObject } from "./log-redaction.js";

export type { Logger };

// Anything shaped like a bot token, wherever it appears (URLs in errors, stack traces, params).
const TOKEN_PATTERN = /\d{5,12}:[A-Za-z0-9_-]{20,}/g;

/** Replaces the token (and anything shaped like one) in an already serialised log line. */
export function scrubSecrets(line: string, secrets: readonly string[] = []): string {
  let out = line;
  for (const secret of secrets) if (secret) out = out.split(secret).join("[redacted]");
  return out.replace(TOKEN_PATTERN, "[redacted]");
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
      redact: { paths: ["token", "*.token", "config.botToken", "botToken"], censor: "[redacted]" },
      formatters: { log: redactLogObject, bindings: redactLogObject },
      // `err` is already reduced by redactLogObject; pino's own serializer would copy every field back.
      serializers: { err: (value: unknown) => value },
      hooks: { streamWrite: (line) => scrubSecrets(line, secrets) },
    },
    options.destination ?? pino.destination({ fd: 1, sync: false }),
  );
}
