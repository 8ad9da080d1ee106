import { Redis } from "ioredis";
import pino from "pino";
import { parseConfig, type Pacing } from "../../src/config/config.js";
import { createApp, type App } from "../../src/bot/create-app.js";
import type { Services } from "../../src/bot/services.js";
import { unpaced, type Pacer } from "../../src/shared/pacer.js";
import { connectRedis, type RedisClient } from "../../src/shared/redis.js";
import type { Clock } from "../../src/shared/clock.js";
import type { Simulator } from "../../tools/simulator/index.js";
import { FIXTURE_CONTENT } from "./scene.js";

/** A settable clock for tests of what the scheduler does at a given time. */
export function manualClock(start: number): Clock & { set(at: number): void; advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    set: (at) => void (now = at),
    advance: (ms) => void (now += ms),
  };
}

export interface BuildOptions {
  sim: Simulator;
  redisUrl: string;
  clock: Clock;
  env?: Record<string, string>;
  contentDir?: string;
  instanceId?: string;
  /** "shared": the production pacing, one Redis-wide line shared with the outbox. */
  pacer?: Pacer | "shared";
  /** Pacing figures other than the production ones (e.g. a shorter live-count edit interval against a faster simulator clock). */
  pacing?: Partial<Pacing>;
  /** What start() runs beyond the outbox; `{ updates: true }` has this instance poll the simulator for updates itself. */
  run?: { updates?: boolean };
}

/** One instance of the app in this process; close() stops it and closes its Redis connection (once, however often called). */
export interface InProcess {
  app: App;
  services: Services;
  redis: RedisClient;
  close(): Promise<void>;
}

/**
 * The services of one bot instance built in this process by the same createApp as the bot's, talking to
 * the simulator and a real Redis. The test drives the scheduler and the updates itself; the outbox
 * worker runs like the real process's.
 */
export async function buildServices(opts: BuildOptions): Promise<InProcess> {
  const config = parseConfig({
    BOT_TOKEN: opts.sim.token,
    TELEGRAM_API_ROOT: opts.sim.apiRoot,
    REDIS_URL: opts.redisUrl,
    CONTENT_DIR: opts.contentDir ?? FIXTURE_CONTENT,
    // As in a stage: the simulator without Telegram's limits, the bot without its own.
    FLOOD_LIMITS: "off",
    ...opts.env,
  });
  config.pacing = { ...config.pacing, ...opts.pacing };
  const logger = pino({ level: "silent" });
  // A cluster (redis+cluster://…) is connected as the bot does; one server gives up sooner, so a test of Redis going away is quick.
  const redis: RedisClient = config.redisCluster
    ? await connectRedis(config.redisCluster, logger)
    : new Redis(opts.redisUrl, { protocol: 2, maxRetriesPerRequest: 2 });
  const app = await createApp(config, {
    logger,
    redis,
    clock: opts.clock,
    pacer: opts.pacer === "shared" ? undefined : (opts.pacer ?? unpaced),
    instanceId: opts.instanceId ?? "test",
    run: { updates: false, scheduler: false, commands: false, heartbeat: false, ...opts.run },
  });
  await app.start();
  let closed: Promise<void> | undefined;
  return {
    app,
    services: app.services,
    redis,
    close: () =>
      (closed ??= (async () => {
        await app.stop();
        await redis.quit();
      })()),
  };
}

/** Waits until the outbox has sent everything queued (the scheduler only enqueues). */
export async function drained(services: { outbox: Pick<Services["outbox"], "depth"> }): Promise<void> {
  for (let i = 0; i < 200 && (await services.outbox.depth()) > 0; i++) await new Promise((r) => setTimeout(r, 50));
  if ((await services.outbox.depth()) > 0) throw new Error("the outbox did not drain in 10 s");
}

/** What `tickUntilIdle` drives: an instance's services, or a bare scheduler (then there is no outbox to drain). */
export interface Ticking {
  scheduler: { tick(): Promise<{ slots: number; timers: number }> };
  outbox?: Pick<Services["outbox"], "depth">;
}

/**
 * Hand-driven ticks until nothing is left to do at the clock's time, the outbox drained after each; returns how
 * many slots and timers they ran in all. One tick runs every due slot, but only as many due timers as its time
 * budget allows (TIMER_TICK_BUDGET_MS; the rest go back untried, as in production), so on a loaded machine a single
 * tick may leave some; and the jobs a tick enqueued may set timers of their own. Not for a test that expects a job
 * to stay delayed (the outbox never drains).
 */
export async function tickUntilIdle(services: Ticking): Promise<{ slots: number; timers: number }> {
  const ran = { slots: 0, timers: 0 };
  for (let tick = 0; tick < 100; tick++) {
    const { slots, timers } = await services.scheduler.tick();
    ran.slots += slots;
    ran.timers += timers;
    if (services.outbox) await drained({ outbox: services.outbox });
    if (slots === 0 && timers === 0) return ran;
  }
  throw new Error("the scheduler still had slots or timers due after 100 ticks");
}
