import { ApiError, badRequest, tooManyRequests } from "./errors.js";

export interface LimitOptions {
  /** Outgoing messages per second across the bot (Telegram: about 30). */
  perSecond: number;
  /** Messages and edits per minute into one group (Telegram: about 20). */
  perGroupPerMinute: number;
}

export const DEFAULT_LIMITS: LimitOptions = { perSecond: 30, perGroupPerMinute: 20 };

/** Sliding-window flood control like Telegram's, on the simulator's clock. */
export class RateLimiter {
  private global: number[] = [];
  private perGroup = new Map<number, number[]>();

  constructor(
    private readonly options: LimitOptions | false,
    private readonly now: () => number,
  ) {}

  /** Throws 429 when one more message (or edit) into `chatId` would exceed a limit. */
  check(chatId: number, isEdit: boolean): void {
    if (!this.options) return;
    const t = this.now();
    this.global = this.global.filter((x) => x > t - 1000);
    const first = this.global[0];
    if (!isEdit && first !== undefined && this.global.length >= this.options.perSecond) {
      throw tooManyRequests(Math.max(1, Math.ceil((first + 1000 - t) / 1000)));
    }
    if (chatId < 0) {
      const list = (this.perGroup.get(chatId) ?? []).filter((x) => x > t - 60_000);
      this.perGroup.set(chatId, list);
      const oldest = list[0];
      if (oldest !== undefined && list.length >= this.options.perGroupPerMinute) {
        throw tooManyRequests(Math.max(1, Math.ceil((oldest + 60_000 - t) / 1000)));
      }
    }
  }

  record(chatId: number, isEdit: boolean, count = 1): void {
    if (!this.options) return;
    const t = this.now();
    for (let i = 0; i < count; i++) {
      if (!isEdit) this.global.push(t);
      if (chatId < 0) this.perGroup.set(chatId, [...(this.perGroup.get(chatId) ?? []), t]);
    }
  }
}

export type FaultKind = "429" | "500" | "400" | "timeout" | "network";

/** A planned failure: the next `times` calls (of `method`, or of any method) fail this way. */
export interface Fault {
  method?: string;
  times: number;
  kind: FaultKind;
  /** For "429": the retry_after to announce (seconds, default 1). */
  retryAfter?: number;
  /** For "400": what Telegram says, e.g. "message is too long" (a refusal the simulated world cannot produce by itself). */
  description?: string;
  /** For "timeout": how long to hold the request before dropping the connection (ms, default 10 000). */
  holdMs?: number;
}

/** Takes the first fault that applies to `method`, counting it down. */
export function takeFault(faults: Fault[], method: string): Fault | undefined {
  const index = faults.findIndex((f) => f.times > 0 && (f.method === undefined || f.method === method));
  const fault = faults[index];
  if (!fault) return undefined;
  fault.times--;
  if (fault.times <= 0) faults.splice(index, 1);
  return fault;
}

export function faultError(fault: Fault): ApiError {
  if (fault.kind === "429") return tooManyRequests(fault.retryAfter ?? 1);
  if (fault.kind === "400") return badRequest(fault.description ?? "unknown refusal");
  return new ApiError(500, "Internal Server Error");
}
