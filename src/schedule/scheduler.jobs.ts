import type { Logger } from "../shared/logger.js";
import type { Clock } from "../shared/clock.js";
import { loadSlotMaths, type SlotMaths } from "./slot-maths.js";
import { createGroupEntries, viewOf, type GroupEntry, type GroupListing, type ScheduledGroup } from "./scheduled-groups.js";
import type { ScheduleRepository } from "./schedule.repository.js";
import { createTimerRunner, type TimerKind } from "./timer-runner.js";

/** A recurring slot of a group, e.g. its Monday constitution lesson or its weekly report. */
export interface SlotSpec {
  /** Stable name of the slot within the group, e.g. `lesson:constitution`. */
  key: string;
  cron: string;
  /** Hands the slot's work over (an outbox enqueue). Idempotent: after a crash it may run again for the same slot. */
  run(group: ScheduledGroup, slotAt: number): Promise<void>;
}

/** A group's slots, always in the same order for the same group (the scheduler keeps a look time per position). */
export type SlotSource = (group: ScheduledGroup) => SlotSpec[];

export interface SchedulerDeps {
  repo: ScheduleRepository;
  /** The active groups, at once or in batches. */
  activeGroups(): GroupListing;
  /** A value that moves with every change of any group (its record, or the list); the list is read again only then. */
  groupsVersion?(): Promise<string | null>;
  sources: SlotSource[];
  /** Each timer kind's handler: one timer at a time, or a batch of them (`TimerBatchHandler`). */
  timerHandlers: Readonly<Record<string, TimerKind>>;
  clock: Clock;
  logger: Logger;
  graceMs: number;
  /** Identifies this instance in slot claims (for diagnosis only). */
  instanceId: string;
  /** How often a running timer handler's lease is renewed (ms); a third of the lease by default. */
  leaseRenewMs?: number;
  /** Timers leased per take, and the time a tick may spend on timers (ms); TIMER_BATCH and TIMER_TICK_BUDGET_MS by default. */
  timerBatch?: number;
  timerBudgetMs?: number;
  /** Cron pattern of the tick (with seconds; the machine's time zone); every second by default. */
  tickCron?: string;
}

const SLOT_CONCURRENCY = 8;
/** How long the list of active groups is reused before the groups' version is looked at again. */
const GROUPS_TTL_MS = 10_000;
/**
 * However still the version, the whole list is read again this often (a change written around the repository).
 * With 10,000 groups a read is ~10 MB of records parsed: every 10 s, that garbage was most of the bot's memory.
 */
const GROUPS_FULL_READ_MS = 5 * 60_000;


export function createScheduler(deps: SchedulerDeps) {
  const log = deps.logger.child({ job: "scheduler" });
  let timer: NodeJS.Timeout | undefined;
  let started = false;
  let running: Promise<void> = Promise.resolve();
  const entries = createGroupEntries();
  let readUntil: number | undefined;
  /** The groups' version when the list was last read whole, and when. */
  let listVersion: string | null | undefined;
  let fullReadAt = 0;
  let reading: Promise<void> | undefined;
  let lastNow = 0;

  async function activeGroups(now: number): Promise<readonly GroupEntry[]> {
    if (now < lastNow) entries.lookAgain(); // the clock went back (tests)
    lastNow = now;
    if (readUntil === undefined || readUntil <= now) {
      // Two ticks at once (tests) wait for the same read rather than one seeing the list before it.
      reading ??= (async () => {
        // Read before the list: a change made while the list is read moves it past what is kept here.
        const version = deps.groupsVersion ? await deps.groupsVersion() : undefined;
        const still = version !== undefined && version === listVersion && now >= fullReadAt && now - fullReadAt < GROUPS_FULL_READ_MS;
        if (!still) {
          await entries.refresh(deps.activeGroups());
          listVersion = version;
          fullReadAt = now;
        }
        readUntil = now + GROUPS_TTL_MS;
      })().finally(() => (reading = undefined));
      await reading;
    }
    return entries.all();
  }
  let onSlotRan: ((lateMs: number) => void) | undefined;
  const timerRunner = createTimerRunner({
    repo: deps.repo,
    handlers: deps.timerHandlers,
    clock: deps.clock,
    logger: deps.logger,
    ...(deps.leaseRenewMs === undefined ? {} : { leaseRenewMs: deps.leaseRenewMs }),
    ...(deps.timerBatch === undefined ? {} : { batchSize: deps.timerBatch }),
    ...(deps.timerBudgetMs === undefined ? {} : { budgetMs: deps.timerBudgetMs }),
  });

  async function runSlots(now: number): Promise<number> {
    let fired = 0;
    const maths = await loadSlotMaths();
    const groups = await activeGroups(now);
    // A few groups at a time: sends are paced anyway, and this keeps round trips from adding up.
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < groups.length; i = next++) {
        const n = await runGroup(groups[i] as GroupEntry, now, maths);
        fired += n;
      }
    };
    await Promise.all(Array.from({ length: Math.min(SLOT_CONCURRENCY, groups.length) }, worker));
    return fired;
  }

  async function runGroup(entry: GroupEntry, now: number, { dueSlot, nextSlotRemembered }: SlotMaths): Promise<number> {
    if (entry.due > now) return 0;
    let fired = 0;
    const { notBefore, look } = entry;
    const group = viewOf(entry);
    const specs = deps.sources.flatMap((source) => source(group));
    for (const [i, spec] of specs.entries()) {
      if ((look[i] ?? 0) > now) continue;
      let at: number | null;
      try {
        at = dueSlot({ cron: spec.cron, timeZone: group.timeZone, now, notBefore, graceMs: deps.graceMs });
        look[i] = nextSlotRemembered(spec.cron, group.timeZone, now);
      } catch (err) {
        log.warn({ err, group: group.id, slot: spec.key }, "bad cron in a group's schedule");
        look[i] = now + 3600_000;
        continue;
      }
      if (at === null) continue;
      // Claim, hand over, mark done: a claim left undone (a crash in between) is taken over after its lease.
      if (!(await deps.repo.claimSlot(group.id, spec.key, at, deps.instanceId, now))) continue;
      fired++;
      const slotLog = log.child({ group: group.id, slot: spec.key, slotAt: new Date(at).toISOString() });
      try {
        await spec.run(group, at);
        await deps.repo.slotDone(group.id, spec.key, at, deps.instanceId, now);
        slotLog.info({ lateMs: now - at }, "slot ran");
        onSlotRan?.(now - at);
      } catch (err) {
        slotLog.error({ err }, "slot failed; tried again on a later tick");
        look[i] = 0;
        await deps.repo.releaseSlot(group.id, spec.key, at, deps.instanceId).catch(() => undefined); // else its lease ends
      }
    }
    entry.due = Math.min(...specs.map((_, i) => look[i] ?? 0));
    return fired;
  }

  /** One pass: due slots of every active group, then due timers. Exposed for tests. */
  async function tick(now = deps.clock.now()): Promise<{ slots: number; timers: number }> {
    const slots = await runSlots(now);
    const timers = await timerRunner.run(now);
    return { slots, timers };
  }

  return {
    tick,
    /** Forget the cached group list (a group was added, removed or changed here). */
    invalidate(): void {
      readUntil = undefined;
      listVersion = undefined;
    },
    /** Observes how late each slot ran (for the scheduler lag metric). */
    observeLag(observer: (lateMs: number) => void): void {
      onSlotRan = observer;
    },
    start(): void {
      started = true;
      const pattern = deps.tickCron ?? "* * * * * *";
      const tickOnce = () => {
        running = tick().then(
          () => undefined,
          (err: unknown) => log.error({ err }, "scheduler tick failed"),
        );
        return running;
      };
      // The next tick at the pattern's next instant (wall time); a tick still running when it comes is skipped.
      const plan = async () => {
        const { nextTick } = await loadSlotMaths();
        if (!started) return;
        const wait = nextTick(pattern, Date.now()) - Date.now();
        timer = setTimeout(() => {
          if (!busy) {
            busy = true;
            void tickOnce().finally(() => (busy = false));
          }
          void plan();
        }, Math.max(0, wait));
      };
      let busy = true;
      // Catch up at once rather than waiting for the first tick.
      void tickOnce().finally(() => (busy = false));
      plan().catch((err: unknown) => log.error({ err, tickCron: pattern }, "scheduler cannot plan its ticks"));
    },
    async stop(): Promise<void> {
      started = false;
      clearTimeout(timer);
      await running;
    },
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;
