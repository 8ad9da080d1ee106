import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { freePort } from "../src/shared/embedded-redis.js";
import { DEFAULT_SCHEDULE } from "../src/content/index.js";
import { createGroupsRepository, type GroupInfo } from "../src/groups/index.js";

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

/** `count` active groups' records written straight into Redis (no simulator chats): for memory figures. */
export async function seedGroupRecords(redisUrl: string, count: number): Promise<void> {
  const client = new Redis(redisUrl, { protocol: 2 });
  const repo = createGroupsRepository(client);
  const since = Date.now() - 60_000;
  for (let i = 0; i < count; i += 500) {
    await Promise.all(
      Array.from({ length: Math.min(500, count - i) }, (_, k) => {
        const group: GroupInfo = {
          id: -1_009_000_000_000 - i - k,
          title: `村${i + k}`,
          type: "supergroup",
          isForum: false,
          active: true,
          locale: "zh",
          timeZone: "Asia/Shanghai",
          registeredAt: since,
          tracksOff: [],
          schedule: structuredClone(DEFAULT_SCHEDULE),
          scheduleUpdatedAt: since,
        };
        return repo.save(group);
      }),
    );
  }
  await client.quit();
}

/** Redis's CPU seconds so far and its calls by command. */
export async function redisUsage(url: string): Promise<{ cpu: number; calls: Map<string, number> }> {
  const r = new Redis(url, { protocol: 2 });
  try {
    const info = await r.info("cpu");
    const get = (k: string) => Number(new RegExp(`${k}:([\\d.]+)`).exec(info)?.[1] ?? 0);
    const calls = new Map<string, number>();
    for (const m of (await r.info("commandstats")).matchAll(/cmdstat_([\w|]+):calls=(\d+)/g)) calls.set(m[1] as string, Number(m[2]));
    return { cpu: get("used_cpu_user") + get("used_cpu_sys"), calls };
  } finally {
    r.disconnect();
  }
}

/** Redis commands per unit of work (a press, a message) between two `redisUsage` readings, the most frequent first. */
export function callsPer(before: Map<string, number>, after: Map<string, number>, n: number, top = Infinity): string {
  const delta = [...after].map(([k, v]) => [k, (v - (before.get(k) ?? 0)) / n] as const).filter(([k, v]) => v >= 0.05 && k !== "info");
  const total = delta.reduce((a, [, v]) => a + v, 0);
  return `${total.toFixed(1)} (${delta.sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(", ")}${delta.length > top ? ", …" : ""})`;
}
