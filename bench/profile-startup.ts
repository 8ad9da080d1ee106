/**
 * Where start-up time and memory go, for one production start (`node dist/main.js`, after `npm run build`) against
 * the simulator; `npm run bench startup` gives the figures beside bare grammY. Prints every Bot API call and log
 * line with its milliseconds since spawn, then RSS (anonymous and file-backed) and the V8 heap after 3 s.
 *   npx tsx bench/profile-startup.ts [--entry dist/main.js] [--groups 10000] [--rtt 100] [--cpu-prof DIR] [--heap-snapshot FILE]
 * --heap-snapshot FILE writes a V8 heap snapshot into FILE when the memory is read (open it in Chrome's DevTools, or
 * summarise it with bench/heap-summary.ts).
 * --groups seeds that many groups and reads memory after 17 s (three scheduler reads of the list); --rtt delays every
 * Bot API request like a round trip to Telegram; --cpu-prof writes a V8 CPU profile into DIR.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { createSimulator } from "../tools/simulator/index.js";
import { startRedis } from "../test/support/redis-server.js";
import { rssMiB } from "./measure.js";
import { seedGroupRecords } from "./redis.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const args = process.argv.slice(2);
const option = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const entry = option("--entry") ?? "dist/main.js";
const groups = Number(option("--groups") ?? 0);
const rtt = Number(option("--rtt") ?? 0);
const profileDir = option("--cpu-prof");
const heapSnapshot = option("--heap-snapshot");
const readAfterMs = groups ? 17_000 : 3000;

/** The simulator answers at once; this puts a fixed delay in front of every request. */
async function delayedApi(apiRoot: string, ms: number): Promise<string> {
  const proxy = createServer((req, res) => {
    const body: Buffer[] = [];
    req.on("data", (c: Buffer) => body.push(c));
    req.on("end", () => {
      setTimeout(() => {
        const out = request(`${apiRoot}${req.url ?? ""}`, { method: req.method, headers: req.headers }, (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        });
        out.end(Buffer.concat(body));
      }, ms);
    });
  });
  await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", () => r()));
  proxy.unref();
  return `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}

// Printed from inside the bot: V8's own view of its heap when the RSS is read.
const heapReport = `import v8 from "node:v8";
setTimeout(() => {
  const f = (x) => (x / 1048576).toFixed(1);
  const spaces = v8.getHeapSpaceStatistics().filter((s) => s.space_size > 0).map((s) => s.space_name + " " + f(s.space_used_size) + "/" + f(s.space_size));
  process.stderr.write("heap MiB (used/size): " + spaces.join(", ") + "\\n");
  ${heapSnapshot ? `v8.writeHeapSnapshot(${JSON.stringify(heapSnapshot)});` : ""}
}, ${readAfterMs - 200}).unref();`;

const sim = await createSimulator({ limits: false });
const redis = await startRedis();
if (groups) await seedGroupRecords(redis.url, groups);
const apiRoot = rtt ? await delayedApi(sim.apiRoot, rtt) : sim.apiRoot;
const since = Date.now();
const flags = [...(profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []), "--import", `data:text/javascript,${encodeURIComponent(heapReport)}`];
const child = spawn(process.execPath, [...flags, entry], {
  cwd: ROOT,
  env: { PATH: process.env.PATH ?? "", BOT_TOKEN: sim.token, TELEGRAM_API_ROOT: apiRoot, REDIS_URL: redis.url, CONTENT_DIR: "content", NODE_ENV: "production", LOG_LEVEL: "debug" },
  stdio: ["ignore", "pipe", "pipe"],
});
const lines: string[] = [];
const collect = (c: Buffer) => {
  for (const l of c.toString().split("\n")) if (l.trim()) lines.push(`${String(Date.now() - since).padStart(6)} ${l.slice(0, 160)}`);
};
child.stdout.on("data", collect);
child.stderr.on("data", collect);
try {
  while (!sim.calls.some((c) => c.method === "getUpdates" && c.at >= since)) {
    if (child.exitCode !== null) throw new Error(`the bot exited (${child.exitCode})\n${lines.join("\n")}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  const calls = sim.calls.filter((c) => c.at >= since).map((c) => `${String(c.at - since).padStart(6)} api ${c.method}`);
  await new Promise((r) => setTimeout(r, readAfterMs));
  const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
  console.log([...calls, ...lines].sort((a, b) => parseInt(a) - parseInt(b)).join("\n"));
  console.log(`RSS after ${readAfterMs / 1000} s: ${rssMiB(child.pid ?? 0).toFixed(1)} MiB (anonymous ${kib("RssAnon").toFixed(1)}, files ${kib("RssFile").toFixed(1)})`);
} finally {
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  await sim.close();
  await redis.destroy();
}
