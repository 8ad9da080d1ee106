import { fileURLToPath } from "node:url";
import { createSimulator, type LimitOptions, type Simulator, type SimulatorOptions } from "../../tools/simulator/index.js";
import { startBot, type BotProcess } from "./bot-process.js";
import { startRedis, type TestRedis } from "./redis-server.js";

export const FIXTURE_CONTENT = fileURLToPath(new URL("../fixtures/content", import.meta.url));

/** A whole end-to-end stage: the Bot API simulator, a real Redis and the real bot process. */
export interface Stage {
  sim: Simulator;
  redis: TestRedis;
  bot: BotProcess;
  env: Record<string, string>;
  /** Starts another bot process on the same simulator and Redis (after a crash, or a second instance). */
  startAnotherBot(extraEnv?: Record<string, string>): Promise<BotProcess>;
  close(): Promise<void>;
}

export interface StageOptions {
  env?: Record<string, string>;
  /** Telegram's flood limits in the simulator, and with them the bot's own (FLOOD_LIMITS); off unless given. */
  limits?: false | Partial<LimitOptions>;
  /** Runs on the simulator before the bot starts (e.g. to create the experts' chat); returns more env. */
  prepare?: (sim: Simulator) => Record<string, string> | Promise<Record<string, string>>;
  /** More simulator options (e.g. `pressTimeoutMs` as long as Telegram's 15 s). */
  simulator?: Omit<SimulatorOptions, "limits" | "botUsername">;
}

export async function startStage(opts: StageOptions = {}): Promise<Stage> {
  const sim = await createSimulator({ ...opts.simulator, limits: opts.limits ?? false, botUsername: "sanxue_test_bot" });
  const redis = await startRedis();
  const prepared = opts.prepare ? await opts.prepare(sim) : {};
  const env: Record<string, string> = {
    BOT_TOKEN: sim.token,
    TELEGRAM_API_ROOT: sim.apiRoot,
    REDIS_URL: redis.url,
    CONTENT_DIR: FIXTURE_CONTENT,
    // The bot's own flood limits go with Telegram's: a scene without the simulator's limits has none either.
    ...(opts.limits ? {} : { FLOOD_LIMITS: "off" }),
    ...opts.env,
    ...prepared,
  };
  const bots: BotProcess[] = [];
  const bot = await startBot(env);
  bots.push(bot);
  return {
    sim,
    redis,
    bot,
    env,
    async startAnotherBot(extraEnv = {}) {
      const b = await startBot({ ...env, ...extraEnv });
      bots.push(b);
      return b;
    },
    async close() {
      await Promise.all(bots.map((b) => b.kill()));
      await sim.close();
      await redis.destroy();
    },
  };
}
