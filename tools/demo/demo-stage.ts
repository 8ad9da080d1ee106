/**
 * The demo's stage: the Bot API simulator, the bot built by the same `createApp` as `src/main.ts` (in this process,
 * so the demo can move its clock), its own redis-server in `dataDir`, and the console served on a local port.
 * The scheduler does not tick by itself here: `at(time)` moves the clock (bot and simulator share it) and runs one
 * scheduler pass, as the bot's every-second tick would at that moment.
 */
import pino from "pino";
import { createApp, type App } from "../../src/bot/create-app.js";
import { parseConfig } from "../../src/config/config.js";
import type { Clock } from "../../src/shared/clock.js";
import { freePort } from "../../src/shared/embedded-redis.js";
import { createLogger } from "../../src/shared/logger.js";
import { createSimulator, type SimChat, type Simulator, type SimUser } from "../simulator/index.js";

export const TIME_ZONE = "Asia/Shanghai";
/** The demo's county organiser (ORGANIZER_IDS). */
export const COUNTY_ID = 800_001;

/** Real time shifted to the demo's week; it runs on (leases, caches and 60 s windows behave) and only jumps forward. */
export interface DemoClock extends Clock {
  /** Jumps to `at` (ms); a moment already past leaves the clock as it is. */
  jumpTo(at: number): void;
}

export function demoClock(start: number): DemoClock {
  let offset = start - Date.now();
  const now = () => Date.now() + offset;
  return {
    now,
    jumpTo(at) {
      if (at > now()) offset = at - Date.now();
    },
  };
}

/** Who plays: names with an emoji, `<`, `&` and quotes, as people write them. */
export interface Cast {
  secretary: SimUser;
  li: SimUser;
  zhang: SimUser;
  zhao: SimUser;
  liu: SimUser;
  expert: SimUser;
  county: SimUser;
  group: SimChat;
  experts: SimChat;
}

function castOn(sim: Simulator): Cast {
  const secretary = sim.user({ first_name: "王书记" });
  const li = sim.user({ first_name: "李明 🌾" });
  const zhang = sim.user({ first_name: "张<芳>" });
  const zhao = sim.user({ first_name: '赵"老三"' });
  const liu = sim.user({ first_name: "刘 & 陈" });
  const expert = sim.user({ first_name: "张工 👷" });
  const county = sim.user({ first_name: "县委组织部", id: COUNTY_ID });
  return {
    secretary, li, zhang, zhao, liu, expert, county,
    group: sim.group({ title: "红星村学习群", admins: [secretary], members: [li, zhang, zhao] }),
    experts: sim.group({ title: "农技专家群", admins: [expert] }),
  };
}

export interface DemoStage {
  sim: Simulator;
  app: App;
  clock: DemoClock;
  cast: Cast;
  /** `http://127.0.0.1:<port>`: the bot's PUBLIC_URL, the console under `/console/`. */
  publicUrl: string;
  /**
   * Lets the bot finish what is under way (every update the simulator queued handled, the outbox empty), then moves
   * the clock to `at` and runs one scheduler pass (due lesson slots, the Monday report, due timers). Without the
   * wait, an answer handled after the jump would be stamped with the later time.
   */
  at(at: number): Promise<{ slots: number; timers: number }>;
  /** Resolves when every update the simulator queued is handled and the outbox is empty (10 s at most, then throws). */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

export interface DemoStageOptions {
  /** The bot's redis-server keeps its files here. */
  dataDir: string;
  /** Where the demo's week starts (ms). */
  start: number;
  contentDir?: string;
  /** The bot's log lines (JSON, pino); default: none. */
  log?: { level: string; destination: pino.DestinationStream };
}

export async function startDemoStage(opts: DemoStageOptions): Promise<DemoStage> {
  const clock = demoClock(opts.start);
  const sim = await createSimulator({ botUsername: "sanxue_demo_bot", now: clock.now });
  const cast = castOn(sim);
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const config = parseConfig({
    BOT_TOKEN: sim.token,
    TELEGRAM_API_ROOT: sim.apiRoot,
    DATA_DIR: opts.dataDir,
    CONTENT_DIR: opts.contentDir ?? "content",
    PUBLIC_URL: publicUrl,
    PORT: String(port),
    ORGANIZER_IDS: String(COUNTY_ID),
    EXPERTS_CHAT_ID: String(cast.experts.id),
    DEFAULT_TIMEZONE: TIME_ZONE,
  });
  const logger = opts.log
    ? createLogger({ level: opts.log.level, secrets: [config.botToken], destination: opts.log.destination })
    : pino({ level: "silent" });
  let app: App;
  try {
    app = await createApp(config, { logger, clock, run: { scheduler: false } });
    await app.start();
  } catch (err) {
    await sim.close();
    throw err;
  }
  // Handled, or skipped as idle (an open poll's new counts: nothing to do).
  const sum = async (c: typeof app.metrics.updates) => (await c.get()).values.reduce((n, v) => n + v.value, 0);
  const handled = async () => (await sum(app.metrics.updates)) + (await sum(app.metrics.idle));
  const settled = async () => {
    const until = Date.now() + 10_000;
    for (;;) {
      if (sim.queue.pendingCount === 0 && (await handled()) >= sim.queue.issuedCount && (await app.services.outbox.depth()) === 0) return;
      if (Date.now() > until) throw new Error(`the bot did not settle in 10 s (${await handled()} of ${sim.queue.issuedCount} updates handled, outbox ${await app.services.outbox.depth()})`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return {
    sim, app, clock, cast, publicUrl, settled,
    async at(at) {
      await settled();
      clock.jumpTo(at);
      return app.services.scheduler.tick();
    },
    async stop() {
      await app.stop();
      await sim.close();
    },
  };
}
