import { existsSync, readdirSync, readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import type { HttpRoute } from "../shared/feature.js";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
};

interface Asset {
  type: string;
  bytes: Buffer;
  gzip: Buffer;
}

/** Where `npm run build` puts the page: beside the bundled dist/main.js, or dist/console-page seen from src/console. */
export function findPageDir(): string | undefined {
  const candidates = [new URL("./console-page/", import.meta.url), new URL("../../dist/console-page/", import.meta.url)];
  return candidates.map((u) => fileURLToPath(u)).find((dir) => existsSync(join(dir, "index.html")));
}

/** The page's files, read once: only these names are ever served (no path from a request reaches the file system). */
export function loadPage(dir: string | undefined): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  if (!dir) return assets;
  for (const name of readdirSync(dir)) {
    const ext = name.slice(name.lastIndexOf("."));
    const type = TYPES[ext];
    if (!type) continue;
    const bytes = readFileSync(join(dir, name));
    assets.set(name, { type, bytes, gzip: gzipSync(bytes, { level: 9 }) });
  }
  return assets;
}

/** The console's HTTP route: the page at `<base>/console/`, its assets, and the API under `<base>/console/api/`. */
export function consoleRoute(
  basePath: string,
  page: Map<string, Asset>,
  api: { handle(req: IncomingMessage, res: ServerResponse, path: string, url: URL): Promise<void> },
): HttpRoute {
  const prefix = `${basePath.replace(/\/+$/, "")}/console`;
  return {
    prefix,
    async handle(req, res) {
      const url = new URL(req.url ?? "/", "http://console.invalid");
      const rest = url.pathname.slice(prefix.length);
      if (rest.startsWith("/api/")) return api.handle(req, res, rest.slice("/api/".length), url);
      if (req.method !== "GET" && req.method !== "HEAD") return void res.writeHead(405, { allow: "GET, HEAD" }).end();
      // `/console` → `/console/`, so the page's relative asset URLs resolve under it.
      if (rest === "") return void res.writeHead(308, { location: `${prefix}/${url.search}` }).end();
      const name = rest === "/" ? "index.html" : rest.slice(1);
      const asset = page.get(name);
      if (!asset) return void res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      const gzip = /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
      const body = gzip ? asset.gzip : asset.bytes;
      res.writeHead(200, {
        "content-type": asset.type,
        "content-length": body.length,
        ...(gzip ? { "content-encoding": "gzip" } : {}),
        vary: "accept-encoding",
        // Asset names carry their content hash; the page itself is asked for afresh so a new build shows at once.
        "cache-control": name === "index.html" ? "no-cache" : "public, max-age=31536000, immutable",
        "x-content-type-options": "nosniff",
        "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
      });
      res.end(req.method === "HEAD" ? undefined : body);
    },
  };
}
