import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { connect } from "node:net";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { resolve, join } from "node:path";
import type { Logger } from "./logger.js";

export interface EmbeddedRedis {
  url: string;
  /** A server another process (a running bot) started and still uses: a tool that borrows it leaves it running. */
  reused: boolean;
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

/** Whether a Redis on loopback `port` answers PING within 300 ms (after AUTH when a password is given). */
export function pingOnce(port: number, password?: string): Promise<boolean> {
  return new Promise((res) => {
    const socket = connect({ port, host: "127.0.0.1" });
    let seen = "";
    const done = (ok: boolean) => {
      socket.destroy();
      res(ok);
    };
    socket.setTimeout(300, () => done(false));
    socket.on("error", () => done(false));
    socket.on("connect", () => socket.write(password ? `AUTH ${password}\r\nPING\r\n` : "PING\r\n"));
    socket.on("data", (d) => {
      seen += d.toString();
      if (seen.startsWith("-")) done(false);
      else if (seen.includes("+PONG")) done(true);
    });
  });
}

/** Sends one inline command to an unauthenticated local Redis; true on +OK. */
function sendOnce(port: number, command: string): Promise<boolean> {
  return new Promise((res) => {
    const socket = connect({ port, host: "127.0.0.1" });
    const done = (ok: boolean) => {
      socket.destroy();
      res(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on("error", () => done(false));
    socket.on("connect", () => socket.write(`${command}\r\n`));
    socket.on("data", (d) => done(d.toString().startsWith("+OK")));
  });
}

async function waitForPing(port: number, password: string, child: ChildProcess | null, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) return false;
    if (await pingOnce(port, password)) return true;
    await new Promise((r2) => setTimeout(r2, 50));
  }
  return false;
}

interface State {
  pid: number;
  port: number;
  password: string;
}

function urlOf(port: number, password: string): string {
  return `redis://:${password}@127.0.0.1:${port}`;
}

/** Only the bot's user may read what holds the password. */
function writePrivate(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600); // the mode above applies only when the file is created
}

/**
 * Starts a private redis-server (loopback only, append-only file on, data in `dataDir`) that
 * refuses clients without its random password; the password lives in `dataDir` (mode 0600), so
 * a server left running by a bot that was killed is reused rather than started twice on the
 * same files.
 */
export async function startEmbeddedRedis(dataDir: string, logger: Logger): Promise<EmbeddedRedis> {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stateFile = join(dir, "embedded-redis.json");

  if (existsSync(stateFile)) {
    try {
      const prev = JSON.parse(readFileSync(stateFile, "utf8")) as Partial<State>;
      // Left by an older version, without a password: it gets one now rather than a second server on its files.
      if (prev.pid && prev.port && !prev.password && processAlive(prev.pid) && (await waitForPing(prev.port, "", null, 500))) {
        const password = randomBytes(24).toString("hex");
        if (await sendOnce(prev.port, `CONFIG SET requirepass ${password}`)) {
          prev.password = password;
          writePrivate(stateFile, JSON.stringify(prev));
        }
      }
      if (prev.pid && prev.port && prev.password && processAlive(prev.pid) && (await waitForPing(prev.port, prev.password, null, 500))) {
        logger.info({ port: prev.port, pid: prev.pid }, "reusing the local redis-server left running");
        const pid = prev.pid;
        return { url: urlOf(prev.port, prev.password), reused: true, stop: async () => stopPid(pid, stateFile) };
      }
    } catch {
      // a stale or unreadable state file: start afresh
    }
  }

  if (spawnSync("redis-server", ["--version"]).error) throw new RedisNotInstalledError();
  const port = await freePort();
  const password = randomBytes(24).toString("hex");
  // The password goes in a config file, not the command line, which every local user can read (ps).
  const confFile = join(dir, "embedded-redis.conf");
  writePrivate(confFile, `requirepass ${password}\n`);
  const child = spawn(
    "redis-server",
    [
      confFile,
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
  if (!(await waitForPing(port, password, child, 10_000))) {
    child.kill("SIGKILL");
    throw new Error(`the local redis-server did not start on port ${port} (data in ${dir})`);
  }
  writePrivate(stateFile, JSON.stringify({ pid: child.pid, port, password } satisfies Partial<State>));
  logger.info({ port, dataDir: dir }, "started a local redis-server");
  return {
    url: urlOf(port, password),
    reused: false,
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
