import type { Pacer } from "../shared/pacer.js";
import { keepRateLimits } from "./deferred-sends.js";

/**
 * How a feature sends when the send must happen at most once: each send and side effect has a
 * key, and a job that resumes after a crash skips the keys already recorded.
 */
export interface Delivery {
  /** Identifies the delivery (the outbox job id, or "direct"); stable across retries. */
  readonly id: string;
  /** Sends one message into `chatId` unless this key was sent before; resolves with its message id. */
  send(key: string, chatId: number, send: () => Promise<{ message_id: number }>): Promise<number>;
  /** Runs a side effect once (recorded after it returns). */
  once(key: string, run: () => Promise<void>): Promise<void>;
}

/** Sends straight away through the process pacer: for answers inside an update (/push, /lessons). */
export function directDelivery(pacer: Pacer): Delivery {
  return {
    id: "direct",
    // The caller records each message id (a push's parts): a long 429 is its to handle, not deferred.
    send: async (_key, _chatId, send) => (await keepRateLimits(() => pacer(send))).message_id,
    once: (_key, run) => run(),
  };
}

/** Thrown by a send that must wait longer than a worker should sit idle: the job is delayed. */
export class PaceDelay extends Error {
  constructor(readonly ms: number) {
    super(`paced: wait ${ms} ms`);
  }
}
