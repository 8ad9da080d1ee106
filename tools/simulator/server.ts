import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { parseBody } from "./body.js";
import { ApiError } from "./errors.js";
import { faultError, takeFault, type Fault } from "./limits.js";
import { Params } from "./params.js";
import type { SimFile } from "./types.js";

/** What the HTTP layer needs from the simulator. */
export interface ApiHost {
  token: string;
  faults: Fault[];
  faultHoldMs: number;
  /** Runs a Bot API method; throws ApiError to answer with an error. */
  call(method: string, params: Params, signal: AbortSignal): Promise<unknown>;
  hasMethod(method: string): boolean;
  fileByPath(path: string): SimFile | undefined;
  control(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** Starts the HTTP face of the simulator on 127.0.0.1. */
export async function startServer(host: ApiHost, port: number): Promise<{ server: Server; port: number }> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handle(host, req, res).catch((err: unknown) => {
      sendJson(res, 500, { ok: false, error_code: 500, description: `Internal Server Error: ${String(err)}` });
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  server.on("close", () => sockets.forEach((s) => s.destroy()));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}

async function handle(host: ApiHost, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  if (url.pathname.startsWith("/_sim/")) return host.control(req, res, url);
  const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
  if (file) {
    if (file[1] !== host.token) return sendJson(res, 401, { ok: false, error_code: 401, description: "Unauthorized" });
    const stored = host.fileByPath(decodeURIComponent(file[2] as string));
    if (!stored) return sendJson(res, 404, { ok: false, error_code: 404, description: "Not Found" });
    res.writeHead(200, { "content-type": stored.mime_type ?? "application/octet-stream", "content-length": stored.bytes.length });
    res.end(stored.bytes);
    return;
  }
  const match = /^\/bot([^/]*)\/([A-Za-z]+)$/.exec(url.pathname);
  if (!match || match[1] !== host.token) {
    return sendJson(res, match ? 401 : 404, match
      ? { ok: false, error_code: 401, description: "Unauthorized" }
      : { ok: false, error_code: 404, description: "Not Found" });
  }
  const method = match[2] as string;
  if (!host.hasMethod(method)) return sendJson(res, 404, { ok: false, error_code: 404, description: "Not Found" });
  const fault = takeFault(host.faults, method);
  if (fault?.kind === "network") {
    req.socket.destroy();
    return;
  }
  if (fault?.kind === "timeout") {
    const timer = setTimeout(() => req.socket.destroy(), fault.holdMs ?? host.faultHoldMs);
    req.socket.once("close", () => clearTimeout(timer));
    return;
  }
  if (fault) {
    const err = faultError(fault);
    return sendJson(res, err.error_code, err.toJSON());
  }
  let body;
  try {
    body = await parseBody(req, url);
  } catch {
    return sendJson(res, 400, { ok: false, error_code: 400, description: "Bad Request: can't parse request JSON object" });
  }
  const abort = new AbortController();
  res.on("close", () => abort.abort());
  try {
    const result = await host.call(method, new Params(body.fields, body.uploads), abort.signal);
    sendJson(res, 200, { ok: true, result });
  } catch (err) {
    if (err instanceof ApiError) return sendJson(res, err.error_code, err.toJSON());
    throw err;
  }
}
