import type { Clock } from "../shared/clock.js";
import type { Logger } from "../shared/logger.js";
import { TIMER_LEASE_MS, type LeasedTimer, type TimerEntry, type TimersRepository } from "./timers.repository.js";

/**
 * What a timer does. At-least-once: the timer leaves Redis only after this returns, so after a crash
 * (or a throw) it runs again; it must be idempotent.
 */
export type TimerHandler = (timer: TimerEntry) => Promise<void>;

/**
 * A kind whose due timers are handled many at once (one pipelined read for all, one write back): a daily
 * reminder per member is due for thousands at the same minute. At-least-once like a `TimerHandler`; a throw
 * fails the whole batch, `failed` only those timers (they run again after their lease).
 */
export interface TimerBatchHandler {
  batch(timers: readonly TimerEntry[]): Promise<{ failed: readonly string[] } | void>;
}

export type TimerKind = TimerHandler | TimerBatchHandler;

/** Timers leased per take: 100,000 reminders due at 20:30 are through within about a minute, not seventeen. */
export const TIMER_BATCH = 500;
/** A tick takes batches until this much time is used; timers it took but had no time for are given back at once. */
export const TIMER_TICK_BUDGET_MS = 500;
/** A timer whose handler keeps failing is dropped after this many attempts (leases doubling from 1 min: about 7 h). */
export const TIMER_MAX_ATTEMPTS = 12;

export interface TimerRunnerDeps {
  repo: Pick<TimersRepository, "takeDue" | "ackMany" | "extendLeases" | "release">;
  handlers: Readonly<Record<string, TimerKind>>;
  clock: Clock;
  logger: Logger;
  /** How often the leases of running handlers are renewed (ms); a third of the lease by default. */
  leaseRenewMs?: number;
  batchSize?: number;
  budgetMs?: number;
}

/** Runs due timers in batches, each kind by its single or its batch handler, within a time budget per tick. */
export function createTimerRunner(deps: TimerRunnerDeps) {
  const log = deps.logger.child({ job: "timers" });
  const batchSize = deps.batchSize ?? TIMER_BATCH;
  const budgetMs = deps.budgetMs ?? TIMER_TICK_BUDGET_MS;

  /**
   * While handlers run (a send can wait out a 429 of up to two minutes), their leases are renewed together, so
   * no other instance takes a timer over from a live handler; `stop` resolves with each lease's current end.
   */
  function keepLeases(timers: readonly LeasedTimer[]): { stop(): Promise<Map<string, number>> } {
    const until = new Map(timers.map((t) => [t.id, t.leaseUntil]));
    let inFlight: Promise<void> = Promise.resolve();
    const renew = setInterval(() => {
      inFlight = inFlight.then(async () => {
        const next = deps.clock.now() + TIMER_LEASE_MS;
        const held = [...until].filter(([, end]) => next > end).map(([id, leaseUntil]) => ({ id, leaseUntil }));
        for (const id of await deps.repo.extendLeases(held, next)) until.set(id, next);
      }).catch(() => undefined); // Redis away: a lease may end, and its timer runs again (idempotent)
    }, deps.leaseRenewMs ?? TIMER_LEASE_MS / 3);
    renew.unref();
    return {
      async stop() {
        clearInterval(renew);
        await inFlight;
        return until;
      },
    };
  }

  const giveUp = (t: LeasedTimer) => t.attempt >= TIMER_MAX_ATTEMPTS;

  /** Runs one take's timers, kind by kind; returns how many ran and how many were given back untried. */
  async function runTake(due: readonly LeasedTimer[], deadline: number, ranBefore: boolean): Promise<{ ran: number; released: number }> {
    const byKind = new Map<string, LeasedTimer[]>();
    for (const t of due) {
      const same = byKind.get(t.kind);
      if (same) same.push(t);
      else byKind.set(t.kind, [t]);
    }
    const done: LeasedTimer[] = [];
    const untried: LeasedTimer[] = [];
    let ran = 0;
    const lease = keepLeases(due);
    try {
      for (const [kind, timers] of byKind) {
        const handler = deps.handlers[kind];
        if (!handler) {
          // Perhaps an instance of a newer version knows it: left to come back, until the attempts run out.
          log.warn({ kind, timers: timers.length, attempt: timers[0]?.attempt }, "no handler for timer");
          done.push(...timers.filter(giveUp));
        } else if (typeof handler === "function") {
          for (const timer of timers) {
            if ((ran > 0 || ranBefore) && performance.now() >= deadline) {
              untried.push(timer);
              continue;
            }
            ran++;
            try {
              await handler(timer);
              done.push(timer);
            } catch (err) {
              log.error({ err, timer: timer.id, attempt: timer.attempt }, giveUp(timer) ? "timer failed; given up" : "timer failed; runs again after its lease");
              if (giveUp(timer)) done.push(timer);
            }
          }
        } else {
          // A batch runs whole: the budget is looked at between takes.
          ran += timers.length;
          let failed: ReadonlySet<string>;
          try {
            failed = new Set((await handler.batch(timers))?.failed ?? []);
          } catch (err) {
            failed = new Set(timers.map((t) => t.id));
            log.error({ err, kind, timers: timers.length }, "timer batch failed; runs again after its lease");
          }
          if (failed.size > 0 && failed.size < timers.length) log.error({ kind, failed: failed.size, timers: timers.length }, "timers of a batch failed; run again after their lease");
          for (const t of timers) if (!failed.has(t.id) || giveUp(t)) done.push(t);
        }
      }
    } finally {
      const leases = await lease.stop();
      const current = (t: LeasedTimer) => ({ ...t, leaseUntil: leases.get(t.id) ?? t.leaseUntil });
      // Only now do the timers leave Redis; a crash before this line brings them back after their lease.
      await deps.repo.ackMany(done.map(current));
      await deps.repo.release(untried.map(current));
    }
    return { ran, released: untried.length };
  }

  return {
    /** Due timers by `now`, batch after batch until none is left or the tick's budget is used. Returns how many ran. */
    async run(now: number): Promise<number> {
      const deadline = performance.now() + budgetMs;
      let ran = 0;
      for (;;) {
        const due = await deps.repo.takeDue(now, batchSize);
        if (due.length === 0) break;
        const take = await runTake(due, deadline, ran > 0);
        ran += take.ran;
        if (take.released > 0 || due.length < batchSize || performance.now() >= deadline) break;
        await new Promise((resolve) => setImmediate(resolve)); // updates get their turn between batches
      }
      return ran;
    },
  };
}
