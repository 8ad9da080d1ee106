import { Writable } from "node:stream";
import { createLogger, type Logger } from "../../src/shared/logger.js";
import { waitFor } from "./wait-for.js";

/** A real logger (`createLogger`) whose lines are kept in memory, as pino serialised them. */
export function captureLog(opts: { level?: string; secrets?: string[] } = {}): { lines: string[]; log: Logger; written(count: number): Promise<void> } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  const log = createLogger({ level: opts.level ?? "trace", destination, ...(opts.secrets ? { secrets: opts.secrets } : {}) });
  return {
    lines,
    log,
    /** Resolves once `count` lines have reached the destination (pino writes through a stream). */
    async written(count) {
      await waitFor(() => lines.length >= count, { timeout: 2000, message: `${count} log lines (have ${lines.length})` });
    },
  };
}
