import type { Context, MiddlewareFn } from "grammy";
import type { Update } from "grammy/types";

/** Telegram drops a press's answer after about 15 s; the guard answers a little before that. */
export const PRESS_ANSWER_DEADLINE_MS = 12_500;

const receivedAt = new WeakMap<Update, number>();

/** Remembers when an update came in (fetched or posted), so its deadline counts from then, not from handling. */
export function markReceived(update: Update, at = Date.now()): void {
  if (!receivedAt.has(update)) receivedAt.set(update, at);
}

/**
 * A button press is always answered within Telegram's 15 s. When its handler is still waiting (Redis
 * failing over, a slow send) close to the deadline, the member gets `text` ("busy, try again") now;
 * the handler goes on, and its own later answer is swallowed instead of failing as "query too old".
 * (It may still store its effect: every press is idempotent, so pressing again then says "already".)
 */
export function pressGuard<C extends Context>(text: (ctx: C) => string, deadlineMs = PRESS_ANSWER_DEADLINE_MS): MiddlewareFn<C> {
  // No async frames: a storm's every press and every call of its passes here.
  return (ctx, next) => {
    const press = ctx.callbackQuery;
    if (!press) return next();
    let answered = false;
    // Installed on this update's Api only: every answer to this press passes here.
    ctx.api.config.use((prev, method, payload, signal) => {
      if (method !== "answerCallbackQuery") return prev(method, payload, signal);
      if (answered) return Promise.resolve({ ok: true, result: true } as Awaited<ReturnType<typeof prev>>);
      answered = true;
      return prev(method, payload, signal);
    });
    const left = (receivedAt.get(ctx.update) ?? Date.now()) + deadlineMs - Date.now();
    const timer = setTimeout(() => {
      if (answered) return;
      ctx.answerCallbackQuery({ text: text(ctx) }).catch(() => undefined);
    }, Math.max(0, left));
    return next().finally(() => clearTimeout(timer));
  };
}
