import type { Api } from "grammy";
import type { Update } from "grammy/types";
import type { Logger } from "../shared/logger.js";
import { markReceived } from "./press-guard.js";
import { carriesNothing, type UpdateJournal } from "./update-journal.js";
import type { UpdatesRepository } from "./updates.repository.js";
import type { Metrics } from "./metrics.js";

/** A press waiting for Redis gets "busy, try again" this long after it was fetched (Telegram allows 15 s). */
export const HELD_PRESS_DEADLINE_MS = 10_000;
const LONG_POLL_SECONDS = 30;

export interface PollingDeps {
  api: Api;
  updates: UpdatesRepository;
  journal: UpdateJournal;
  logger: Logger;
  allowedUpdates: readonly Exclude<keyof Update, "update_id">[];
  /** The toast for a press that could not be stored in time (the group's locale needs Redis: the default one). */
  busyText: string;
  heldPressDeadlineMs?: number;
  /** Counts the updates skipped as idle. */
  metrics?: Metrics;
}

const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Long polling with the webhook's promise: each fetched update is claimed and journalled in Redis
 * before the next getUpdates confirms its offset, so an update in flight when the process dies is
 * redelivered by Telegram (not yet confirmed) or taken over from the journal (confirmed), and
 * handled once either way. While Redis is down the batch waits here and nothing is confirmed; a
 * button press that cannot wait is answered "busy, try again" and then dropped, never applied later.
 */
export function startPolling(deps: PollingDeps) {
  const { api, updates, journal, logger } = deps;
  const deadlineMs = deps.heldPressDeadlineMs ?? HELD_PRESS_DEADLINE_MS;
  let running = true;
  let fetching: AbortController | undefined;
  let offset = 0;

  async function fetchBatch(): Promise<Update[]> {
    for (let delay = 100; ; delay = Math.min(delay * 2, 5_000)) {
      fetching = new AbortController();
      try {
        // auto-retry (on api) already waits out network errors, 5xx and 429s.
        return await api.getUpdates({ offset, limit: 100, timeout: LONG_POLL_SECONDS, allowed_updates: [...deps.allowedUpdates] },
          // grammY types its signal with a polyfill's AbortSignal; Node's is the same at run time.
          fetching.signal as Parameters<Api["getUpdates"]>[1]);
      } catch (err) {
        if (!running) return [];
        const code = (err as { error_code?: unknown }).error_code;
        // A second poller (409) or a revoked token (401) will not go away by itself; say so and keep trying slowly.
        logger.error({ err: { message: (err as Error).message }, code }, "getUpdates failed; retrying");
        await pause(delay);
      } finally {
        fetching = undefined;
      }
    }
  }

  /**
   * Claims and journals a batch, waiting for Redis as long as it is down; fills `done` with update_id →
   * entry id, or null for a duplicate (handled, or in another instance's hands); false when stopping.
   * The whole batch is one script: one round trip behind the handlers' commands, not one per update.
   */
  async function journalBatch(batch: Update[], done: Map<number, string | null>): Promise<boolean> {
    let warned = false;
    const warn = (message: string) => {
      if (!warned) logger.warn({ err: { message }, updates: batch.length }, "could not journal a fetched update; waiting for Redis");
      warned = true;
    };
    const accepted = batch.map((u) => ({ updateId: u.update_id, json: JSON.stringify(u) }));
    for (let delay = 100; running; delay = Math.min(delay * 2, 1_000)) {
      // Not while disconnected: a queued write could land after the press it carries was given up.
      if (updates.available()) {
        // A write caught by the connection dropping waits inside ioredis for the reconnect; say so meanwhile.
        const slow = setTimeout(() => warn("redis is not answering"), 2_000);
        try {
          const ids = await updates.acceptMany(accepted);
          ids.forEach((id, i) => done.set(accepted[i]?.updateId ?? 0, id));
          return true;
        } catch (err) {
          // Nothing of the batch is taken as journalled: all of it is tried again.
          warn((err as Error).message);
        } finally {
          clearTimeout(slow);
        }
      } else warn("redis is not connected");
      await pause(delay);
    }
    return false;
  }

  /** Presses still unjournalled at the deadline: answered "busy" now, and not applied when Redis is back. */
  function guardPresses(batch: Update[], settled: Map<number, unknown>, given: Set<number>): NodeJS.Timeout | undefined {
    if (!batch.some((u) => u.callback_query)) return undefined;
    return setTimeout(() => {
      for (const u of batch) {
        if (!u.callback_query || settled.has(u.update_id)) continue;
        given.add(u.update_id);
        api.answerCallbackQuery(u.callback_query.id, { text: deps.busyText }).catch((err: unknown) =>
          logger.warn({ err: { message: (err as Error).message }, update_id: u.update_id }, "could not answer a held press"),
        );
      }
      logger.warn({ presses: given.size }, "presses answered busy: Redis did not come back in time");
    }, deadlineMs);
  }

  async function handleBatch(fetched: Update[]): Promise<boolean> {
    // Confirmed with the others (the offset is the fetched batch's), never journalled or handled.
    const batch = fetched.filter((u) => !carriesNothing(u));
    if (batch.length < fetched.length) deps.metrics?.idle.inc(fetched.length - batch.length);
    if (batch.length === 0) return true;
    const journalled = new Map<number, string | null>();
    const givenUp = new Set<number>();
    // Deadlines count from the fetch, the closest we know to when the member pressed.
    for (const update of batch) markReceived(update);
    const guard = guardPresses(batch, journalled, givenUp);
    try {
      // Stopping: what is journalled but not handled stays in the journal for the next instance.
      if (!(await journalBatch(batch, journalled)) || !running) return false;
    } finally {
      clearTimeout(guard);
    }
    for (const update of batch) {
      const entryId = journalled.get(update.update_id);
      if (!entryId) continue; // a duplicate
      // Claimed and journalled so a redelivery is a duplicate, then settled unhandled: the member was told to try again.
      if (givenUp.has(update.update_id)) await journal.drop(entryId);
      else {
        try {
          journal.dispatch(update, entryId);
        } catch (err) {
          // Claimed, so it will not come again: settled as failed, as an update whose handler throws is.
          logger.error({ err: { message: (err as Error).message }, update_id: update.update_id }, "could not hand over an update");
          await journal.drop(entryId);
        }
      }
    }
    return true;
  }

  async function loop(): Promise<void> {
    for (let failures = 0; running; ) {
      await journal.waitForSlot();
      const batch = await fetchBatch();
      if (!running || batch.length === 0) continue;
      try {
        // Only once every update of the batch is journalled may the next getUpdates confirm them.
        if (!(await handleBatch(batch))) return;
        failures = 0;
      } catch (err) {
        // A fault of ours must not end polling for good. The batch is not confirmed: it comes again. (Nothing
        // after journalBatch throws, so no update of it is left journalled and unhandled.)
        failures++;
        logger.error({ err: { message: (err as Error).message }, updates: batch.length, failures }, "could not take a fetched batch; fetching it again");
        await pause(Math.min(100 * 2 ** (failures - 1), 5_000));
        continue;
      }
      offset = (batch.at(-1)?.update_id ?? offset - 1) + 1;
    }
  }

  const task = loop().catch((err: unknown) => logger.error({ err: { message: (err as Error).message } }, "polling stopped by an error"));
  journal.start();
  return {
    /** Stops fetching (a batch not yet journalled stays unconfirmed: Telegram sends it again). */
    async stop(): Promise<void> {
      running = false;
      fetching?.abort();
      // A journal write caught in an outage may wait much longer; its update is safe either way.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([task, new Promise<void>((r) => (timer = setTimeout(r, 2_000)))]);
      clearTimeout(timer);
    },
    isRunning: () => running,
  };
}

export type Polling = ReturnType<typeof startPolling>;
