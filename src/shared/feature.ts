import type { IncomingMessage, ServerResponse } from "node:http";
import type { Composer } from "grammy";
import type { PollAnswer } from "grammy/types";
import type { Config } from "../config/config.js";
import type { Curriculum } from "../content/types.js";
import type { Outbox, OutboxHandler } from "../outbox/index.js";
import type { ScheduleRepository, SlotSource, TimerKind } from "../schedule/index.js";
import type { BotContext } from "./context.js";
import type { Redis } from "./redis.js";
import type { Runtime } from "./runtime.js";

/**
 * The one shape every feature presents (`src/<feature>/index.ts` exports one `FeatureDefinition`), and what
 * it may use. Lives here, not in `src/bot/`, so that features never import the switchboard.
 */

/**
 * Who sees a command in Telegram's menu (PRODUCT.md: registered per scope). "county": county
 * organisers (ORGANIZER_IDS), in their own private chat's menu only.
 */
export type Audience = "member" | "admin" | "private" | "county";

export interface CommandSpec {
  command: string;
  audiences: Audience[];
  /** Locale key of the one-line description. */
  description: string;
  /** Position in the menus and /help, lowest first (a product decision, independent of the features' order). */
  menu: number;
}

/**
 * What features offer each other (and the tests, as `services.<name>`), by name. Each feature adds its
 * entries from its own index.ts: `declare module "../shared/feature.js" { interface FeatureApis { … } }`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface FeatureApis {}

/**
 * Points where one feature calls others without knowing them: the feature that calls declares the kind
 * here (declaration merging, like `FeatureApis`), the features that answer give one in `hooks`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface FeatureHooks {}

/** Updates a feature takes for itself; the switchboard dispatches by them (src/bot/dispatch.ts). */
export interface Claims {
  /** Updates only this feature sees (nothing else runs for them), handled by their own composer. */
  updates?: { owns(ctx: BotContext): boolean; composer: Composer<BotContext> }[];
  /** Callback-data prefixes (`<prefix>:…`) of its buttons: a press reaches only the feature of its prefix. */
  callbacks?: string[];
  /**
   * Those of its prefixes whose handler runs the press's toll (flood window, roster touch) inside its own
   * script, through `payingToll` (src/floods/press-toll.ts): one round trip for the press instead of three.
   */
  tolledCallbacks?: string[];
  /** Deep-link kinds (`/start <kind>[_…]`, the part before the first `_`) it answers in its composer. */
  startPayloads?: string[];
  /**
   * Whether the answer's poll is one it sent: a `poll_answer` reaches only the poll's owner. The owner
   * may keep the record it read for its own handler (by the answer object), so the poll is read once.
   */
  ownsPoll?(answer: PollAnswer): Promise<boolean>;
}

/** HTTP requests a feature answers on the bot's HTTP server: every path equal to `prefix` or under `prefix/`. */
export interface HttpRoute {
  prefix: string;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

/** What a feature is, once built over the infrastructure. */
export interface Feature {
  /** Its entries of `FeatureApis`. */
  api: Partial<FeatureApis>;
  /** Its triggers: commands, messages, and the presses, deep links and poll answers it claims. */
  composer?: Composer<BotContext>;
  /** Sees every update before any feature's composer (groups: who is where, `ctx.group`). */
  watch?: Composer<BotContext>;
  claims?: Claims;
  /** Outbox job kinds it runs. */
  jobs?: Record<string, OutboxHandler>;
  /** Durable one-shot timer kinds it handles, one at a time or in batches (at-least-once: idempotent). */
  timers?: Record<string, TimerKind>;
  /** Recurring per-group slots it schedules (`run` idempotent). */
  slots?: SlotSource[];
  hooks?: { [K in keyof FeatureHooks]?: FeatureHooks[K] };
  /** Pages and JSON it serves on the bot's HTTP server (the console). */
  http?: HttpRoute;
  /**
   * The app stops: ends what the feature runs on its own (timers, coalesced edits, polling loops) and waits for
   * what is running, so nothing of it touches Redis or Telegram once the app's stop() has returned.
   */
  stop?(): Promise<void>;
}

export interface FeatureDefinition {
  name: string;
  /** Its commands, for the menus, /help and the unknown-command reply (static: menus are set before any update). */
  commands?: CommandSpec[];
  /** Builds it. `apis` holds the features listed before it in src/bot/features.ts. */
  create(infra: FeatureInfra, apis: FeatureApis): Feature;
}

/** What the app builds before any feature (src/bot/create-app.ts). */
export interface Infra extends Runtime {
  config: Config;
  redis: Redis;
  curriculum: Curriculum;
  instanceId: string;
}

/** What every feature may use: the app's infrastructure, and what createServices adds for features. */
export interface FeatureInfra extends Infra {
  outbox: Outbox;
  /** Durable one-shot timers (`setTimer`), and the slot claims. */
  timers: ScheduleRepository;
  /** Every feature's hooks of a kind, in the features' order; filled as features are built, so read it when calling. */
  hooks<K extends keyof FeatureHooks>(kind: K): readonly FeatureHooks[K][];
  /** Groups or their schedules changed: the scheduler reloads them. */
  scheduleChanged(): void;
}
