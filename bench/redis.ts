import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { freePort } from "../src/shared/embedded-redis.js";

/** A throwaway redis-server for the bench: no persistence, its own port and folder. */
export async function startBenchRedis(): Promise<{ redis: Redis; url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "sanxue-bench-"));
  const child: ChildProcess = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  const url = `redis://127.0.0.1:${port}`;
  const redis = new Redis(url, { protocol: 2, lazyConnect: true, retryStrategy: (n) => (n > 50 ? null : 50) });
  redis.on("error", () => undefined); // refused connections while the server starts are expected
  for (let i = 0; ; i++) {
    try {
      await redis.connect();
      await redis.ping();
      break;
    } catch (err) {
      if (i > 100) throw err;
      redis.disconnect();
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    redis,
    url,
    async stop() {
      redis.disconnect();
      await new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGKILL");
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info("memory");
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

/** Counts the commands a client sends (pipelined and transaction ones included: each goes through `sendCommand`). */
export function countCommands(redis: Redis): { count(): number; reset(): void; restore(): void } {
  const original = redis.sendCommand.bind(redis);
  let n = 0;
  redis.sendCommand = ((...args: Parameters<Redis["sendCommand"]>) => {
    n++;
    return original(...args);
  }) as Redis["sendCommand"];
  return {
    count: () => n,
    reset: () => void (n = 0),
    restore: () => void (redis.sendCommand = original),
  };
}
