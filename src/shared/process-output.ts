import { format } from "node:util";
import { redactValue } from "./log-redaction.js";
import { scrubSecrets, type Logger } from "./logger.js";

type Write = typeof process.stdout.write;

/** Wraps a stream's `write` so that no chunk leaves with a secret in it. */
function scrubStream(stream: NodeJS.WriteStream, secrets: readonly string[]): void {
  const original = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  const write = (chunk: unknown, ...rest: unknown[]): boolean => {
    const text = typeof chunk === "string" ? chunk : Buffer.isBuffer(chunk) || chunk instanceof Uint8Array ? Buffer.from(chunk).toString("utf8") : chunk;
    // a string chunk with an encoding argument is re-encoded by the stream; a decoded Buffer is now utf8
    if (typeof text === "string" && typeof chunk !== "string" && typeof rest[0] === "string") rest[0] = "utf8";
    return original(typeof text === "string" ? scrubSecrets(text, secrets) : chunk, ...rest);
  };
  stream.write = write as Write;
}

const CONSOLE_LEVELS = { error: "error", warn: "warn", log: "info", info: "info", debug: "debug", trace: "trace" } as const;

/**
 * Libraries print on their own (`@grammyjs/runner` prints fetch errors, grammY its fatal errors,
 * `debug` its lines): console calls become JSON log lines that go through the logger's redaction
 * (an error printed by util.inspect would show its payload, the texts people wrote), and every
 * write to stdout and stderr is scrubbed of the token and the webhook secret.
 */
export function guardProcessOutput(logger: Logger, secrets: readonly string[]): void {
  const kept = secrets.filter((s) => s.length > 0);
  scrubStream(process.stdout, kept);
  scrubStream(process.stderr, kept);
  for (const [method, level] of Object.entries(CONSOLE_LEVELS) as [keyof typeof CONSOLE_LEVELS, (typeof CONSOLE_LEVELS)[keyof typeof CONSOLE_LEVELS]][]) {
    // eslint-disable-next-line no-console -- replacing console itself, so that libraries print through the logger
    console[method] = (...args: unknown[]) => {
      const words: unknown[] = [];
      const errors: Error[] = [];
      const others: unknown[] = [];
      for (const a of args) {
        if (typeof a === "string" || typeof a === "number" || typeof a === "boolean") words.push(a);
        else if (a instanceof Error) errors.push(a);
        else if (a !== undefined) others.push(a);
      }
      const fields: Record<string, unknown> = { source: "console" };
      if (errors[0]) fields.err = errors[0];
      if (errors.length > 1) fields.errors = errors.slice(1);
      if (others.length) fields.args = redactValue(others);
      logger[level](fields, format(...words) || "console output");
    };
  }
}

/** An exception nobody caught: one redacted log line, then exit 1 (Node's own print would show everything). */
export function logFatalExceptions(logger: Logger): void {
  process.on("uncaughtException", (err) => {
    logger.fatal({ err }, "uncaught exception");
    const exit = setTimeout(() => process.exit(1), 500);
    logger.flush(() => {
      clearTimeout(exit);
      process.exit(1);
    });
  });
}
