import { scopedStore } from "../shared/scoped-store.js";
import { randomUUID } from "node:crypto";
import { InputFile, type Api, type Transformer } from "grammy";
import type { Logger } from "../shared/logger.js";
import { upgradedTo } from "../shared/telegram-errors.js";
import { bullmq } from "./bullmq.js";

/**
 * A 429 whose `retry_after` is longer than auto-retry waits (or one left after its last attempt) is
 * not dropped: the same call becomes an outbox job delayed by `retry_after`, and the caller gets a
 * `SendDeferred` instead of the 429. Inside an outbox job nothing is moved: the outbox delays the
 * whole job on a 429 itself, and its delivery keys keep what was already sent.
 */

/** The outbox job kind of a deferred Bot API call: `{ method, payload }`. */
export const API_CALL_JOB = "api-call";

/**
 * Methods that post a message and whose caller can live without the result now. Not `sendPoll`: a
 * quiz poll is useless without the record its caller stores from the result, so its 429 stays the caller's.
 */
const DEFERRABLE = new Set([
  "sendMessage", "sendPhoto", "sendDocument", "sendVideo", "sendAudio", "sendVoice", "sendAnimation",
  "sendMediaGroup", "copyMessage", "copyMessages", "forwardMessage", "forwardMessages", "sendLocation",
  "sendContact", "sendSticker",
]);

/** Thrown to the caller of a send that Telegram rate-limited for long: it will be sent by the outbox. */
export class SendDeferred extends Error {
  constructor(
    readonly method: string,
    readonly delayMs: number,
    readonly jobId: string,
  ) {
    super(`${method} rate-limited for ${Math.round(delayMs / 1000)} s: moved to the outbox`);
    this.name = "SendDeferred";
  }
}

/** Set while a long 429 must reach the caller: inside an outbox job (its id), or `keepRateLimits`. */
const insideJob = scopedStore<string>();

/** Runs an outbox job's handler so that its API calls' 429s stay with the outbox (it delays the job). */
export function runInsideJob<T>(jobId: string, run: () => Promise<T>): Promise<T> {
  return insideJob.run(jobId, run);
}

/**
 * Runs sends whose caller needs the result now (it stores the message id: an expert card replies are
 * mapped by, a step of a direct lesson push): a long 429 stays the caller's, since a message sent later
 * without its bookkeeping would be worse than the caller's own handling (a retry, a later reminder).
 */
export function keepRateLimits<T>(run: () => Promise<T>): Promise<T> {
  return insideJob.run("caller", run);
}

/**
 * Only what JSON keeps survives the trip through Redis. Keyboards (grammY's builder classes) serialise
 * to exactly what Telegram receives; an upload (InputFile, bytes, a stream or an iterator) does not.
 */
function survivesJson(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  const type = typeof value;
  if (type === "string" || type === "number" || type === "boolean") return true;
  if (Array.isArray(value)) return value.every(survivesJson);
  if (type !== "object") return false;
  if (value instanceof InputFile || ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof Blob) return false;
  const obj = value as object;
  if (Symbol.asyncIterator in obj || Symbol.iterator in obj) return false;
  return Object.values(obj).every(survivesJson);
}

/** The API transformer; install it outside auto-retry so it sees what auto-retry gave up on. */
export function deferLongRateLimits(
  outbox: { enqueue(kind: string, id: string, payload: Record<string, unknown>, opts?: { delayMs?: number }): Promise<void> },
  logger: Logger,
): Transformer {
  const log = logger.child({ feature: "outbox" });
  // What cannot be deferred passes straight on (a press's answer, an edit): no async frame of this layer for it.
  const deferring: Transformer = async (prev, method, payload, signal) => {
    const res = await prev(method, payload, signal);
    if (res.ok || res.error_code !== 429 || insideJob.getStore() !== undefined) return res;
    if (!survivesJson(payload)) {
      log.warn({ method }, "rate-limited upload cannot wait in the outbox (not JSON); the caller gets the 429");
      return res;
    }
    const delayMs = Math.max(1, res.parameters?.retry_after ?? 1) * 1000;
    const id = randomUUID();
    try {
      await outbox.enqueue(API_CALL_JOB, id, { method, payload: payload as Record<string, unknown> }, { delayMs });
    } catch (err) {
      log.error({ method, err: { message: (err as Error).message } }, "could not move a rate-limited send to the outbox");
      return res;
    }
    log.warn({ method, delayMs, job: id }, "rate-limited beyond auto-retry's wait: the send moved to the outbox");
    throw new SendDeferred(method, delayMs, id);
  };
  return (prev, method, payload, signal) => (DEFERRABLE.has(method) ? deferring(prev, method, payload, signal) : prev(method, payload, signal));
}

type RawCall = (payload: Record<string, unknown>) => Promise<unknown>;

/** An outbox handler, spelled out: outbox.ts and delivery.ts import this file, so it names neither's types. */
type CallJob = (
  job: Record<string, unknown>,
  delivery: { send(key: string, chatId: number, send: () => Promise<{ message_id: number }>): Promise<number> },
) => Promise<void>;

/** The outbox job that makes a deferred call: once (its delivery key), paced like every other send. */
export function apiCallJob(api: Api): CallJob {
  return async (job, delivery) => {
    const method = String(job.method);
    const payload = (job.payload ?? {}) as Record<string, unknown>;
    // The method name came from our own transformer; `raw` is keyed by every Bot API method.
    const call = (api.raw as unknown as Record<string, RawCall>)[method];
    if (!DEFERRABLE.has(method) || !call) throw new (await bullmq()).UnrecoverableError(`not a deferrable method: ${method}`);
    const chat = payload.chat_id;
    await delivery.send("call", typeof chat === "number" ? chat : 0, async () => {
      const result = await call(payload).catch((err: unknown) => {
        // The group became a supergroup while the call waited (the move itself is done by the refusal):
        // nothing else of this job names the old id, so the same call goes to the new chat.
        const to = upgradedTo(err);
        if (to === undefined) throw err;
        const reply = payload.reply_parameters as Record<string, unknown> | undefined;
        return call({ ...payload, chat_id: to, ...(reply ? { reply_parameters: { ...reply, allow_sending_without_reply: true } } : {}) });
      });
      const first = Array.isArray(result) ? (result[0] as unknown) : result;
      const messageId = (first as { message_id?: unknown } | undefined)?.message_id;
      return { message_id: typeof messageId === "number" ? messageId : 0 };
    });
  };
}
