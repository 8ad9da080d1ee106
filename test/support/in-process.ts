import { Redis } from "ioredis";
import pino from "pino";
import { parseConfig } from "../../src/config/config.js";
import { loadCurriculum } from "../../src/content/index.js";
import { createApiBot } from "../../src/bot/create-bot.js";
import { createServices, type Services } from "../../src/bot/services.js";
import { createI18n, translatorOf } from "../../src/shared/i18n.js";
import { unpaced, type Pacer } from "../../src/shared/pacer.js";
import { connectRedis, type RedisClient } from "../../src/shared/redis.js";
import type { Clock } from "../../src/shared/clock.js";
import type { Simulator } from "../../tools/simulator/index.js";
import { FIXTURE_CONTENT } from "./scene.js";
import { createPacingRepository, createSharedPacer } from "../../src/outbox/index.js";

/** A settable clock for tests of what the scheduler does at a given time. */
export function manualClock(start: number): Clock & { set(at: number): void; advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    set: (at) => void (now = at),
    advance: (ms) => void (now += ms),
  };
}

/** The services of one bot instance built in this process, talking to the simulator and a real Redis. */
export async function buildServices(opts: {
  sim: Simulator;
  redisUrl: string;
  clock: Clock;
  env?: Record<string, string>;
  contentDir?: string;
  instanceId?: string;
  /** "shared": the production pacing, one Redis-wide line shared with the outbox. */
  pacer?: Pacer | "shared";
}): Promise<{ services: Services; redis: RedisClient; close(): Promise<void> }> {
  const config = parseConfig({
    BOT_TOKEN: opts.sim.token,
    TELEGRAM_API_ROOT: opts.sim.apiRoot,
    REDIS_URL: opts.redisUrl,
    CONTENT_DIR: opts.contentDir ?? FIXTURE_CONTENT,
    ...opts.env,
  });
  // A cluster (redis+cluster://…) is connected as the bot does; one server as before.
  const redis: RedisClient = config.redisCluster
    ? await connectRedis(config.redisCluster, pino({ level: "silent" }))
    : new Redis(opts.redisUrl, { protocol: 2, maxRetriesPerRequest: 2 });
  const curriculum = await loadCurriculum(config.contentDir);
  const bot = createApiBot(config);
  await bot.init();
  const services = createServices({
    config,
    logger: pino({ level: "silent" }),
    redis,
    api: bot.api,
    curriculum,
    clock: opts.clock,
    pacer: opts.pacer === "shared" ? createSharedPacer(createPacingRepository(redis), 28) : (opts.pacer ?? unpaced),
    t: translatorOf(createI18n(config.defaultLocale, () => undefined)),
    instanceId: opts.instanceId ?? "test",
  });
  // Scheduled pushes go through the outbox: this "instance" runs a worker like the real process.
  services.outbox.start();
  return {
    services,
    redis,
    close: async () => {
      await services.outbox.stop();
      await redis.quit();
    },
  };
}

/** Waits until the outbox has sent everything queued (the scheduler only enqueues). */
export async function drained(services: Services): Promise<void> {
  for (let i = 0; i < 200 && (await services.outbox.depth()) > 0; i++) await new Promise((r) => setTimeout(r, 50));
  if ((await services.outbox.depth()) > 0) throw new Error("the outbox did not drain in 10 s");
}
