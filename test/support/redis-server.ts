import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { freePort, pingOnce as ping } from "../../src/shared/embedded-redis.js";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll } from "vitest";
import { waitFor } from "./wait-for.js";

/** A real redis-server for one test file: loopback, its own port and folder, append-only file on. */
export { freePort };

export interface TestRedis {
  url: string;
  port: number;
  dir: string;
  /** Stops the server (SIGTERM, or SIGKILL with `hard`). */
  stop(opts?: { hard?: boolean }): Promise<void>;
  /** Starts it again on the same port and files (recovering from the append-only file). */
  start(): Promise<void>;
  /** Stops it and removes its files. */
  destroy(): Promise<void>;
}

export async function startRedis(): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), "sanxue-redis-"));
  let port = await freePort();
  let child: ChildProcess | undefined;

  /**
   * Starts this file's server and waits until the server answering on the port is that very process: between
   * freePort() and the bind another file may take the port (or restart its own server there), and a ping alone would
   * then point this file's tests at someone else's Redis, which goes away under them.
   */
  async function launch(): Promise<boolean> {
    const c = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--appendonly", "yes", "--appendfsync", "always", "--save", ""],
      { stdio: "ignore" },
    );
    child = c;
    const gone = () => c.exitCode !== null || c.signalCode !== null;
    await waitFor(async () => gone() || ((await ping(port)) && (await serverPid(port)) === c.pid), {
      timeout: 5000,
      interval: 25,
      message: "redis-server did not start (is it installed? apt-get install -y redis-server)",
    });
    return !gone();
  }

  async function start(): Promise<void> {
    if (await launch()) return;
    throw new Error(`redis-server could not start again on port ${port} (another process holds it)`);
  }

  async function stop(opts: { hard?: boolean } = {}): Promise<void> {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once("exit", () => resolve());
      c.kill(opts.hard ? "SIGKILL" : "SIGTERM");
    });
  }

  // The first start may move to another port if this one was taken meanwhile; a restart keeps its port.
  for (let attempt = 1; !(await launch()); attempt++) {
    if (attempt >= 5) throw new Error("redis-server could not bind a free port");
    port = await freePort();
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    stop,
    start,
    async destroy() {
      await stop({ hard: true });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The process id of the redis-server answering on the port, or undefined when none answers. */
async function serverPid(port: number): Promise<number | undefined> {
  const r = new Redis({ port, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on("error", () => undefined);
  try {
    await r.connect();
    return Number(/process_id:(\d+)/.exec(await r.info("server"))?.[1]);
  } catch {
    return undefined;
  } finally {
    r.disconnect();
  }
}

/** A redis-server and one client for the whole test file (started before its tests, stopped after); read them inside tests. */
export function redisForFile(): { server(): TestRedis; redis(): Redis } {
  let server: TestRedis | undefined;
  let client: Redis | undefined;
  beforeAll(async () => {
    server = await startRedis();
    client = new Redis(server.url, { protocol: 2 });
  });
  afterAll(async () => {
    await client?.quit();
    await server?.destroy();
  });
  const need = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error("redisForFile: read inside a test, after beforeAll");
    return v;
  };
  return { server: () => need(server), redis: () => need(client) };
}
