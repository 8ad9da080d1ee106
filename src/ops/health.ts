import type { Redis } from "../shared/redis.js";

export interface HealthReport {
  status: "ok" | "fail";
  redis: { ok: boolean; ms?: number; error?: string };
  updates: { ok: boolean; mode: "polling" | "webhook"; lastInboundAgoS: number; api?: "reachable" | "unreachable" };
}

export interface HealthDeps {
  redis: Pick<Redis, "ping">;
  mode: "polling" | "webhook";
  /** A cheap Bot API call (getMe) to tell an idle webhook bot from one Telegram cannot reach. */
  probeApi(): Promise<unknown>;
  now?: () => number;
  redisTimeoutMs?: number;
  /** Inbound traffic older than this is stale (polling: a getUpdates long poll lasts 30 s). */
  staleAfterMs?: number;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
    p.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e: unknown) => (clearTimeout(timer), reject(e instanceof Error ? e : new Error(String(e)))),
    );
  });
}

/**
 * `/healthz`: Redis answers PING quickly, and updates are flowing — a recent successful getUpdates
 * (polling) or webhook request, or, for an idle webhook bot, the Bot API answering getMe.
 */
export function createHealth(deps: HealthDeps) {
  const now = deps.now ?? Date.now;
  const staleAfter = deps.staleAfterMs ?? 90_000;
  let lastInbound = now();
  let probe: { at: number; ok: boolean } | undefined;

  async function apiReachable(): Promise<boolean> {
    if (probe && now() - probe.at < 30_000) return probe.ok;
    const ok = await withTimeout(deps.probeApi(), 3000).then(() => true, () => false);
    probe = { at: now(), ok };
    return ok;
  }

  return {
    /** Something came in: a getUpdates answer, a webhook request or an update. */
    sawInbound(): void {
      lastInbound = now();
    },
    async check(): Promise<HealthReport> {
      const started = now();
      const redis = await withTimeout(deps.redis.ping(), deps.redisTimeoutMs ?? 1000).then(
        () => ({ ok: true, ms: now() - started }),
        (err: Error) => ({ ok: false, error: err.message }),
      );
      const ago = now() - lastInbound;
      const updates: HealthReport["updates"] = { ok: ago < staleAfter, mode: deps.mode, lastInboundAgoS: Math.round(ago / 1000) };
      if (!updates.ok && deps.mode === "webhook") {
        // No traffic is fine for a quiet bot, as long as Telegram's API is there.
        const reachable = await apiReachable();
        updates.api = reachable ? "reachable" : "unreachable";
        updates.ok = reachable;
      }
      return { status: redis.ok && updates.ok ? "ok" : "fail", redis, updates };
    },
  };
}

export type Health = ReturnType<typeof createHealth>;
