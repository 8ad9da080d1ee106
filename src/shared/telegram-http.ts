import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { Readable } from "node:stream";
import type { ApiClientOptions } from "grammy";

/**
 * The HTTP under grammY's Bot API client (`client.fetch`): node's own `http.request` on a keep-alive agent. grammY's
 * default on Node is node-fetch over the same agent, and node-fetch's Request, Headers, body streams and URL
 * parsing cost more than the call itself: ~170 µs of CPU per call through grammY's Api against ~110 µs here
 * (`npm run bench telegram-http`), with one answerCallbackQuery per press. (undici's pooled
 * request was measured too: a little cheaper per call, but 16 MiB more at rest and 40 ms more CPU to start.)
 * Only what grammY uses is kept: its POST (a JSON string or a multipart stream), its abort signal, and `json()` of
 * the answer whatever the status (Telegram's errors are JSON too). A network failure or an answer that is no JSON
 * rejects, and grammY turns it into an HttpError, as with node-fetch.
 */
export type TelegramFetch = (url: string, init?: TelegramRequestInit) => Promise<TelegramResponse>;

export interface TelegramRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array | Readable | null;
  signal?: AbortSignalLike | null;
}

/** What grammY's signal is on Node: abort-controller's EventTarget, or a native AbortSignal. */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: "abort", listener: () => void): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

export interface TelegramResponse {
  readonly status: number;
  readonly ok: boolean;
  json(): Promise<unknown>;
  text(): Promise<string>;
}

function aborted(): Error {
  return Object.assign(new Error("The request was aborted"), { name: "AbortError" });
}

/** The answer's bytes, read once, for `json()` or `text()`. */
function answer(res: IncomingMessage): TelegramResponse {
  const status = res.statusCode ?? 0;
  const chunks: Buffer[] = [];
  const body = new Promise<string>((resolve, reject) => {
    res.on("data", (chunk: Buffer) => chunks.push(chunk));
    res.on("end", () => resolve(chunks.length === 1 ? (chunks[0] as Buffer).toString("utf8") : Buffer.concat(chunks).toString("utf8")));
    res.on("error", reject);
    // An answer cut short (the connection closed before its end) fails instead of waiting for grammY's timeout.
    res.on("close", () => {
      if (!res.complete) reject(aborted());
    });
  });
  // An answer nobody reads (grammY gave up on it at its timeout) must not reject unhandled.
  body.catch(() => undefined);
  return { status, ok: status >= 200 && status < 300, json: async () => JSON.parse(await body) as unknown, text: () => body };
}

export function telegramFetch(): TelegramFetch {
  // Keep-alive connections to each Bot API origin, as many as the calls in flight need (as grammY's own agent).
  const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  return (url, init = {}) =>
    new Promise<TelegramResponse>((resolve, reject) => {
      const signal = init.signal ?? undefined;
      if (signal?.aborted) return reject(aborted());
      const target = new URL(url);
      const secure = target.protocol === "https:";
      const headers: Record<string, string | number> = {};
      // grammY sends `connection: keep-alive`, which the agent says itself.
      for (const [name, value] of Object.entries(init.headers ?? {})) if (name.toLowerCase() !== "connection") headers[name] = value;
      const { body } = init;
      if (typeof body === "string") headers["content-length"] = Buffer.byteLength(body);
      else if (body instanceof Uint8Array) headers["content-length"] = body.byteLength;
      // node takes host, port and path from the URL itself (an IPv6 host's brackets too).
      const req = (secure ? httpsRequest : httpRequest)(
        target,
        { method: init.method ?? "GET", headers, agent: secure ? agents.https : agents.http },
        (res) => {
          // An abort while the answer is still arriving ends it too (grammY's timeout covers the whole call).
          res.on("close", () => signal?.removeEventListener("abort", onAbort));
          resolve(answer(res));
        },
      );
      function onAbort(): void {
        req.destroy(aborted());
      }
      signal?.addEventListener("abort", onAbort);
      req.on("error", (err) => {
        signal?.removeEventListener("abort", onAbort);
        reject(err);
      });
      if (body instanceof Readable) {
        body.on("error", (err) => req.destroy(err));
        body.pipe(req);
      } else req.end(body ?? undefined);
    });
}

/**
 * telegramFetch as grammY's `client.fetch` takes it. grammY types that as node-fetch's `fetch`, whose Response has
 * more than grammY reads (`json()`): the cast is to that type, not away from types.
 */
export function grammyFetch(): NonNullable<ApiClientOptions["fetch"]> {
  return telegramFetch() as unknown as NonNullable<ApiClientOptions["fetch"]>;
}
