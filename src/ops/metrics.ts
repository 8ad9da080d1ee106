import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/**
 * The bot's Prometheus metrics, in a registry of their own (no global state, so tests and several
 * bots in one process do not collide). Served as text on `/metrics`.
 */
export function createMetrics(opts: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: "sanxue_" });
  const registers = [registry];

  let outboxDepthSource: (() => number | Promise<number>) | undefined;
  // A plain number on the hot path (a Redis round trip is counted per call); read when scraped.
  let redisTrips = 0;

  const metrics = {
    registry,
    updates: new Counter({
      name: "sanxue_updates_total",
      help: "Updates handled, by update type",
      labelNames: ["type"] as const,
      registers,
    }),
    idle: new Counter({
      name: "sanxue_updates_idle_total",
      help: "Updates nothing is done for, neither claimed nor handled (an open poll's new counts)",
      registers,
    }),
    duplicates: new Counter({
      name: "sanxue_updates_duplicate_total",
      help: "Updates skipped because this update_id was already handled (Telegram redelivered it)",
      registers,
    }),
    recovered: new Counter({
      name: "sanxue_updates_recovered_total",
      help: "Accepted updates taken over from an instance that died while handling them",
      registers,
    }),
    handlerSeconds: new Histogram({
      name: "sanxue_update_duration_seconds",
      help: "Time to handle one update, by update type",
      labelNames: ["type"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    inFlight: new Gauge({ name: "sanxue_updates_in_flight", help: "Updates being handled now", registers }),
    apiCalls: new Counter({
      name: "sanxue_api_calls_total",
      help: "Bot API calls (every attempt, retries included), by method and outcome (ok, 429, error, network)",
      labelNames: ["method", "outcome"] as const,
      registers,
    }),
    sends: new Counter({
      name: "sanxue_sends_total",
      help: "Messages sent (send*, copy, forward attempts), by method and outcome",
      labelNames: ["method", "outcome"] as const,
      registers,
    }),
    rateLimited: new Counter({
      name: "sanxue_api_429_total",
      help: "429 Too Many Requests answers from Telegram, by method",
      labelNames: ["method"] as const,
      registers,
    }),
    apiSeconds: new Histogram({
      name: "sanxue_api_call_duration_seconds",
      help: "Bot API call round trip, by method",
      labelNames: ["method"] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    webhookRequests: new Counter({
      name: "sanxue_webhook_requests_total",
      help: "Webhook requests, by outcome (accepted, duplicate, idle: nothing to do, unauthorized, bad_request, unavailable)",
      labelNames: ["outcome"] as const,
      registers,
    }),
    schedulerLag: new Histogram({
      name: "sanxue_scheduler_lag_seconds",
      help: "Time between a scheduled slot's due time and when it ran",
      buckets: [1, 5, 10, 30, 60, 300, 900, 3600, 10800],
      registers,
    }),
    outboxDepth: new Gauge({
      name: "sanxue_outbox_depth",
      help: "Outgoing sends waiting in the outbox",
      registers,
      async collect() {
        // The outbox feeds this through setOutboxDepthSource; 0 when there is no outbox.
        if (outboxDepthSource) this.set(await outboxDepthSource());
      },
    }),
    redisRoundTrips: new Counter({
      name: "sanxue_redis_round_trips_total",
      help: "Round trips to Redis on the bot's main connection (a command, script, pipeline or MULTI each; not the commands a script runs inside)",
      registers,
      collect() {
        this.reset();
        this.inc(redisTrips);
      },
    }),
    /** Counts `n` round trips to Redis (see `countRoundTrips`). */
    countRedisTrips(n: number): void {
      redisTrips += n;
    },
    /** Lets the outbox report its depth when /metrics is scraped (or call `outboxDepth.set` itself). */
    setOutboxDepthSource(source: () => number | Promise<number>): void {
      outboxDepthSource = source;
    },
    /** The text exposition for `/metrics`. */
    async render(): Promise<{ contentType: string; body: string }> {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;

/** The update's type as Telegram names it (`message`, `callback_query`, …). */
export function updateType(update: object): string {
  return Object.keys(update).find((k) => k !== "update_id") ?? "unknown";
}
