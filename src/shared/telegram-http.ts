import { Agent, type Dispatcher } from "undici";

/**
 * The HTTP under grammY's Bot API client: undici's pooled `request`, behind the `fetch` grammY calls
 * (`client.fetch`). grammY's default on Node is node-fetch over an `http.Agent`, which costs ~130 µs of CPU per call
 * against undici's ~36 µs (bench/telegram-http.ts): with one answerCallbackQuery per press, that is a quarter of
 * a press. Only what grammY uses is kept: its POST (a JSON string or a multipart stream), its abort signal, and
 * `json()` of the answer whatever the status (Telegram's errors are JSON too). A network failure or an answer
 * that is no JSON rejects, and grammY turns it into an HttpError, as with node-fetch.
 */
export type TelegramFetch = (url: string, init?: TelegramRequestInit) => Promise<TelegramResponse>;

export interface TelegramRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: Dispatcher.DispatchOptions["body"];
  signal?: unknown;
}

export interface TelegramResponse {
  readonly status: number;
  readonly ok: boolean;
  json(): Promise<unknown>;
  text(): Promise<string>;
}

/** Keep-alive connections to each Bot API origin, as many as the calls in flight need (as node-fetch's agent). */
export function createTelegramDispatcher(): Dispatcher {
  return new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000 });
}

export function telegramFetch(dispatcher: Dispatcher = createTelegramDispatcher()): TelegramFetch {
  return async (url, init = {}) => {
    const { origin, pathname, search } = new URL(url);
    const headers: Record<string, string> = {};
    // grammY sends `connection: keep-alive`, which is undici's own business (it keeps connections alive anyway).
    for (const [name, value] of Object.entries(init.headers ?? {})) if (name.toLowerCase() !== "connection") headers[name] = value;
    const res = await dispatcher.request({
      origin,
      path: pathname + search,
      method: (init.method ?? "GET") as Dispatcher.HttpMethod,
      headers,
      body: init.body ?? null,
      // grammY's AbortSignal on Node is abort-controller's EventTarget, which undici takes as it is.
      signal: (init.signal ?? null) as Dispatcher.RequestOptions["signal"],
    });
    return {
      status: res.statusCode,
      ok: res.statusCode >= 200 && res.statusCode < 300,
      json: () => res.body.json(),
      text: () => res.body.text(),
    };
  };
}
