import type { Update } from "grammy/types";
import type { Logger } from "../shared/logger.js";
import { markPreclaimed } from "./dedupe.js";
import type { Metrics } from "./metrics.js";
import type { UpdatesRepository } from "./updates.repository.js";

/** A crashed instance's accepted updates are taken over once its heartbeat is gone (15 s) and they are this old. */
const RECOVER_AFTER_MS = 5_000;
/**
 * This instance's own journal entries that it does not hold are handed over once they are this old: an accept
 * whose answer was lost (Redis wrote the batch, the connection dropped before the reply) is retried, finds its
 * updates seen and takes them as duplicates, so nothing else would handle them while this instance lives. Long
 * enough that an entry between its accept and its hand-over is never taken, even with the clocks a little apart.
 */
export const ORPHAN_AFTER_MS = 60_000;

export interface UpdateJournalDeps {
  updates: UpdatesRepository;
  /** Runs the bot's middleware on one update (bot.handleUpdate, errors already handled). */
  handle(update: Update): Promise<void>;
  logger: Logger;
  metrics?: Metrics;
  /** Updates handled at once before new ones wait (webhook: answers slow down; polling: fetching pauses). */
  maxInFlight?: number;
  /** How old a dead instance's journal entry must be before it is taken over (ms). */
  recoverAfterMs?: number;
  /** How old one of this instance's own entries must be, not held, before it is handed over (ms; ORPHAN_AFTER_MS). */
  orphanAfterMs?: number;
}

export function isUpdate(value: unknown): value is Update {
  return typeof value === "object" && value !== null && Number.isSafeInteger((value as { update_id?: unknown }).update_id);
}

/**
 * An update nothing is done for, so it is neither claimed nor journalled (polling confirms it with the
 * batch, the webhook answers 200): an open poll's new counts. Telegram sends one for the bot's own polls
 * at every vote (issue 11: a quiz storm brought two updates per answer); only a closed poll is acted on
 * (quizzes: the poll's results).
 */
export function carriesNothing(update: Update): boolean {
  // Not yet checked by the update guard: anything may be in it (a null poll, a poll without is_closed).
  const poll: unknown = update.poll;
  return typeof poll === "object" && poll !== null && (poll as { is_closed?: unknown }).is_closed === false && Object.keys(update).length === 2;
}

/**
 * What webhook and polling mode share: updates journalled in Redis (`UpdatesRepository.accept`) are
 * handled here and settled afterwards; entries a dead instance left behind are taken over; a stop
 * waits for the updates in hand. An update leaves the journal only once it was handled.
 */
export function createUpdateJournal(deps: UpdateJournalDeps) {
  const { updates, logger, metrics } = deps;
  const maxInFlight = deps.maxInFlight ?? 500;
  const inFlight = new Set<Promise<void>>();
  // The journal entries this instance holds (handling or settling): recovery leaves them alone.
  const held = new Set<string>();
  const slotWaiters: (() => void)[] = [];

  /**
   * Settles an entry once `work` is over; held until it has left the journal. An entry whose settle failed stays
   * held: handled here, it is not handled again here (a later instance takes it over, as after a crash).
   */
  function settleAfter(entryId: string, work: Promise<void>): Promise<void> {
    held.add(entryId);
    return work
      .then(() => updates.settle(entryId))
      .then(
        () => void held.delete(entryId),
        (err: unknown) => logger.warn({ err: { message: (err as Error).message }, entryId }, "could not settle a journal entry"),
      );
  }

  /** Handles an update whose journal entry is `entryId`, then settles the entry. */
  function dispatch(update: Update, entryId: string): void {
    if (held.has(entryId)) return;
    markPreclaimed(update);
    const handled = deps
      .handle(update)
      .catch((err: unknown) => logger.error({ err, update_id: update.update_id }, "update failed outside the bot's error handler"));
    const job: Promise<void> = settleAfter(entryId, handled).finally(() => {
      inFlight.delete(job);
      slotWaiters.shift()?.();
    });
    inFlight.add(job);
  }

  /** Takes over accepted updates that a crashed instance left in the journal. */
  async function recover(): Promise<number> {
    const taken = await updates.recover(deps.recoverAfterMs ?? RECOVER_AFTER_MS, Date.now(), deps.orphanAfterMs ?? ORPHAN_AFTER_MS);
    let handed = 0;
    for (const { entryId, json, own } of taken) {
      if (held.has(entryId)) continue; // ours, and still being handled or settled
      handed++;
      const update: unknown = JSON.parse(json);
      if (!isUpdate(update)) {
        await drop(entryId);
        continue;
      }
      metrics?.recovered.inc();
      if (own) logger.warn({ update_id: update.update_id, entryId }, "handling an update whose journal write was answered too late");
      else logger.warn({ update_id: update.update_id }, "handling an update a stopped instance had accepted");
      dispatch(update, entryId);
    }
    return handed;
  }

  /** Settles an entry unhandled (its update is given up, or cannot be handed over); held meanwhile. */
  function drop(entryId: string): Promise<void> {
    return settleAfter(entryId, Promise.resolve());
  }

  let timer: NodeJS.Timeout | undefined;
  return {
    dispatch,
    drop,
    recover,
    /** Resolves when fewer than maxInFlight updates are in hand (back-pressure). */
    async waitForSlot(): Promise<void> {
      while (inFlight.size >= maxInFlight) await new Promise<void>((r) => slotWaiters.push(r));
    },
    /** Recovers now and then every few seconds. */
    start(everyMs = 5_000): void {
      const loop = () => void recover().catch((err: unknown) => logger.warn({ err: { message: (err as Error).message } }, "journal recovery failed"));
      loop();
      timer = setInterval(loop, everyMs);
      timer.unref();
    },
    /** Stops recovering and waits for the updates in hand, at most `timeoutMs`; false if some were still running. */
    async drain(timeoutMs = Infinity): Promise<boolean> {
      clearInterval(timer);
      const until = Date.now() + timeoutMs;
      while (inFlight.size > 0) {
        const left = until - Date.now();
        if (left <= 0) return false;
        let wake: NodeJS.Timeout | undefined;
        const all = Promise.all([...inFlight]);
        await (Number.isFinite(left) ? Promise.race([all, new Promise<void>((r) => (wake = setTimeout(r, left)))]) : all);
        clearTimeout(wake);
      }
      return true;
    },
    get inFlight(): number {
      return inFlight.size;
    },
  };
}

export type UpdateJournal = ReturnType<typeof createUpdateJournal>;
