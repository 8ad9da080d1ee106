import { API_CALL_JOB, apiCallJob, createOutbox, createPacingRepository, deferLongRateLimits, type Outbox } from "../outbox/index.js";
import { createScheduleRepository, createScheduler, type Scheduler, type SlotSource, type TimerKind } from "../schedule/index.js";
import type { Feature, FeatureApis, FeatureDefinition, FeatureHooks, FeatureInfra, Infra } from "../shared/feature.js";
import { FEATURES } from "./features.js";

/** A feature as built, with its name (for the switchboard's checks and logs). */
export type BuiltFeature = Feature & { name: string };

/** Every feature's API by name (`services.lessons`, …), the infrastructure that drives them, and the features. */
export type Services = FeatureApis & {
  scheduler: Scheduler;
  outbox: Outbox;
  features: readonly BuiltFeature[];
};

/** Builds every feature over the shared infrastructure, in list order, and the scheduler and outbox that drive them. */
export function createServices(infra: Infra, definitions: readonly FeatureDefinition[] = FEATURES): Services {
  const { config, logger, redis, api, clock } = infra;
  const outbox = createOutbox({ redis, pacing: createPacingRepository(redis), logger, perSecond: config.pacing.botPerSecond, perGroupPerMinute: config.pacing.groupPerMinute, concurrency: config.pacing.outboxConcurrency });
  // Outermost transformer, around auto-retry: a 429 it will not wait out becomes a delayed outbox job.
  api.config.use(deferLongRateLimits(outbox, logger));
  outbox.register(API_CALL_JOB, apiCallJob(api));

  const timers = createScheduleRepository(redis);
  const hooks = new Map<string, unknown[]>();
  const hooksOf = (kind: string): unknown[] => {
    let list = hooks.get(kind);
    if (!list) hooks.set(kind, (list = []));
    return list;
  };
  const slots: SlotSource[] = [];
  const timerHandlers: Record<string, TimerKind> = {};
  const apis: Partial<FeatureApis> = {};
  const scheduler = createScheduler({
    repo: timers,
    activeGroups: () => (apis as FeatureApis).groups.activeGroupBatches(),
    groupsVersion: () => (apis as FeatureApis).groups.listVersion(),
    sources: slots,
    timerHandlers,
    clock,
    logger,
    graceMs: config.catchupGraceMinutes * 60_000,
    instanceId: infra.instanceId,
  });
  const featureInfra: FeatureInfra = {
    ...infra,
    outbox,
    timers,
    hooks: <K extends keyof FeatureHooks>(kind: K) => hooksOf(kind) as FeatureHooks[K][],
    scheduleChanged: () => scheduler.invalidate(),
  };

  const features = definitions.map((definition): BuiltFeature => {
    const feature = definition.create(featureInfra, need(apis, definition.name));
    for (const name of Object.keys(feature.api)) if (name in apis) throw new Error(`two features offer "${name}"`);
    Object.assign(apis, feature.api);
    for (const [kind, handler] of Object.entries(feature.jobs ?? {})) outbox.register(kind, handler);
    for (const [kind, handler] of Object.entries(feature.timers ?? {})) {
      if (timerHandlers[kind]) throw new Error(`two features handle the timer "${kind}"`);
      timerHandlers[kind] = handler;
    }
    slots.push(...(feature.slots ?? []));
    for (const [kind, hook] of Object.entries(feature.hooks ?? {})) hooksOf(kind).push(hook);
    return { ...feature, name: definition.name };
  });
  // A moved group's timers move with it, after every feature's own part.
  hooksOf("moveGroup").push(timers.moveGroup);
  return { ...(apis as FeatureApis), scheduler, outbox, features };
}

/**
 * The APIs built so far, as the full registry: reading one that is not built yet fails at start-up with
 * what to change, instead of an undefined deep inside a service.
 */
function need(apis: Partial<FeatureApis>, who: string): FeatureApis {
  return new Proxy(apis, {
    get(target, name, receiver) {
      if (typeof name === "string" && !(name in target))
        throw new Error(`${who} needs "${name}", which no feature before it offers: list its feature earlier in src/bot/features.ts`);
      return Reflect.get(target, name, receiver) as unknown;
    },
  }) as FeatureApis;
}
