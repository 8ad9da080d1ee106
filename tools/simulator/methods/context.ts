import type { RateLimiter } from "../limits.js";
import type { Params } from "../params.js";
import type { SimState } from "../state.js";
import type { SimMessage } from "../types.js";
import type { UpdateQueue } from "../update-queue.js";

export interface SimEvents {
  /** A line for the transcript. */
  line: (text: string) => void;
  /** A message the bot sent or edited (for transcripts and waiters). */
  botMessage: (m: SimMessage, edited: boolean) => void;
}

/** What a Bot API method handler works with. */
export interface MethodContext {
  state: SimState;
  queue: UpdateQueue;
  limiter: RateLimiter;
  params: Params;
  events: SimEvents;
  signal: AbortSignal;
  options: { rejectUnknownHtmlEntities: boolean; callbackExpiryMs: number };
}

export type Handler = (ctx: MethodContext) => unknown;
export type MethodTable = Record<string, Handler>;
