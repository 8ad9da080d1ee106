import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { HttpRoute } from "../shared/feature.js";
import type { Logger } from "../shared/logger.js";
import type { Health } from "./health.js";
import type { Metrics } from "./metrics.js";

export interface OpsServerDeps {
  health: Health;
  metrics: Metrics;
  logger: Logger;
  /** Webhook mode: the path of WEBHOOK_URL and what handles a POST to it. */
  webhook?: { path: string; request(req: IncomingMessage, res: ServerResponse): Promise<void> };
  /** The features' own paths (the console). */
  routes?: readonly HttpRoute[];
}

const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

/** The HTTP face: the webhook (when set), `/healthz` (JSON, 200 or 503), `/metrics` (Prometheus text) and the features' routes. */
export function createOpsServer(deps: OpsServerDeps): Server {
  const { health, metrics, logger, webhook, routes = [] } = deps;
  return createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const fail = (err: unknown) => {
      logger.error({ err }, "http request failed");
      if (!res.headersSent) res.writeHead(500).end();
    };
    if (webhook && req.method === "POST" && path === webhook.path) return void webhook.request(req, res).catch(fail);
    if (req.method === "GET" && path === "/healthz") {
      return void health
        .check()
        .then((report) => {
          res.writeHead(report.status === "ok" ? 200 : 503, { "content-type": "application/json", "cache-control": "no-store" });
          res.end(JSON.stringify(report));
        })
        .catch(fail);
    }
    if (req.method === "GET" && path === "/metrics") {
      return void metrics
        .render()
        .then(({ contentType, body }) => res.writeHead(200, { "content-type": contentType }).end(body))
        .catch(fail);
    }
    const route = routes.find((r) => under(path ?? "/", r.prefix));
    if (route) return void route.handle(req, res).catch(fail);
    res.writeHead(404).end();
  });
}

/** Starts listening; resolves once the port is bound. */
export function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
