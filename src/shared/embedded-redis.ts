import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { connect } from "node:net";
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { resolve, join } from "node:path";
import type { Logger } from "./logger.js";

export interface EmbeddedRedis {
  url: string;
  stop(): Promise<void>;
}

export class RedisNotInstalledError extends Error {
  constructor() {
    super(
      "redis-server was not found on PATH: install it (Debian/Ubuntu: apt-get install -y redis-server; macOS: brew install redis) or set REDIS_URL",
    );
    this.name = "RedisNotInstalledError";
  }
}

/** A TCP port on loopback that nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Whether a Redis on loopback `port` answers PING within 300 ms. */
export function pingOnce(port: number): Promise<boolean> {
  return new Promise((res) => {
    const socket = connect({ port, host: "127.0.0.1" });
    const done = (ok: boolean) => {
      socket.destroy();
      res(ok);
    };
    socket.setTimeout(300, () => done(false));
    socket.on("error", () => done(false));
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (d) => done(d.toString().startsWith("+PONG")));
  });
}

async function waitForPing(port: number, child: ChildProcess | null, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) return false;
    if (await pingOnce(port)) return true;
    await new Promise((r2) => setTimeout(r2, 50));
  }
  return false;
}

/**
 * Starts a private redis-server (loopback only, append-only file on, data in `dataDir`).
 * A server left running by a bot that was killed is reused rather than started twice on the
 * same files.
 */
export async function startEmbeddedRedis(dataDir: string, logger: Logger): Promise<EmbeddedRedis> {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const stateFile = join(dir, "embedded-redis.json");

  if (existsSync(stateFile)) {
    try {
      const prev = JSON.parse(readFileSync(stateFile, "utf8")) as { pid: number; port: number };
      if (processAlive(prev.pid) && (await waitForPing(prev.port, null, 500))) {
        logger.info({ port: prev.port, pid: prev.pid }, "reusing the local redis-server left running");
        return {
          url: `redis://127.0.0.1:${prev.port}`,
          stop: async () => stopPid(prev.pid, stateFile),
        };
      }
    } catch {
      // a stale or unreadable state file: start afresh
    }
  }

  if (spawnSync("redis-server", ["--version"]).error) throw new RedisNotInstalledError();
  const port = await freePort();
  const child = spawn(
    "redis-server",
    [
      "--port", String(port),
      "--bind", "127.0.0.1",
      "--dir", dir,
      "--appendonly", "yes",
      // every acknowledged write is on disk before the bot confirms it to a member
      "--appendfsync", "always",
      "--save", "",
      "--protected-mode", "yes",
      "--loglevel", "warning",
    ],
    { stdio: ["ignore", "ignore", "pipe"], detached: false },
  );
  child.stderr?.on("data", (d: Buffer) => logger.warn({ redis: d.toString().trim() }, "redis-server"));
  if (!(await waitForPing(port, child, 10_000))) {
    child.kill("SIGKILL");
    throw new Error(`the local redis-server did not start on port ${port} (data in ${dir})`);
  }
  writeFileSync(stateFile, JSON.stringify({ pid: child.pid, port }));
  logger.info({ port, dataDir: dir }, "started a local redis-server");
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((res) => {
        if (child.exitCode !== null) return res();
        child.once("exit", () => {
          rmSync(stateFile, { force: true });
          res();
        });
        child.kill("SIGTERM");
      }),
  };
}

async function stopPid(pid: number, stateFile: string): Promise<void> {
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return;
  }
  for (let i = 0; i < 100 && processAlive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  rmSync(stateFile, { force: true });
}
