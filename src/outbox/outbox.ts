import type { Job, Queue, Worker as BullMQWorker } from "bullmq";
import { Cluster } from "ioredis";
import { GrammyError, HttpError } from "grammy";
import { retryingUpgradesAsWhole, upgradedTo } from "../shared/telegram-errors.js";
import type { Logger } from "../shared/logger.js";
import type { Redis } from "../shared/redis.js";
import { PaceDelay, type Delivery } from "./delivery.js";
import { alreadyCounted } from "./group-window.js";
import type { PacingRepository } from "./pacing.repository.js";
import { onBotLine } from "./shared-pacer.js";
import { runInsideJob } from "./deferred-sends.js";
import { bullmq } from "./bullmq.js";

/** What a job of one kind does; it sends only through `delivery`, so a retried job resumes. */
export type OutboxHandler = (payload: Record<string, unknown>, delivery: Delivery, log: Logger) => Promise<void>;

interface JobData {
  payload: Record<string, unknown>;
  /** Keys of sends and side effects already done, with the message id sent (0 for side effects). */
  done: Record<string, number>;
}

export interface OutboxOptions {
  redis: Redis;
  pacing: PacingRepository;
  logger: Logger;
  /** Messages a second for the whole deployment; under Telegram's ~30 to leave room for replies. */
  perSecond: number;
  /** Messages a minute into one group (Telegram: 20). */
  perGroupPerMinute: number;
  concurrency: number;
}

const QUEUE = "outbox";
// One hash tag for every BullMQ key, so its Lua scripts work on Redis Cluster.
const PREFIX = "{sx:outbox}";
/** A pacing wait up to this long is slept in the worker; a longer one delays the job. */
const MAX_INLINE_WAIT_MS = 2000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * BullMQ needs its own connections with `maxRetriesPerRequest: null` and a queue while Redis is
 * away: a copy of ours (one server or a cluster), with those two settings changed.
 */
function connectionOf(redis: Redis): Redis {
  if (redis instanceof Cluster) {
    const redisOptions = { ...redis.options.redisOptions, maxRetriesPerRequest: null };
    return redis.duplicate(undefined, { redisOptions, enableOfflineQueue: true });
  }
  return redis.duplicate({ maxRetriesPerRequest: null, enableOfflineQueue: true, lazyConnect: false });
}

/** A job's options: its id (kind + id, so an enqueue again adds nothing), retries, and how long it is kept. */
function jobOptions(kind: string, id: string, delayMs?: number) {
  return {
    ...(delayMs ? { delay: delayMs } : {}),
    jobId: `${kind}-${id}`.replaceAll(":", "_"),
    attempts: 12,
    backoff: { type: "exponential" as const, delay: 1000 },
    // Kept past any re-run of the same slot (which the slot claim prevents anyway) so ids stay deduplicated.
    removeOnComplete: { age: 3 * 86_400, count: 100_000 },
    removeOnFail: { age: 14 * 86_400 },
  };
}

export function createOutbox(opts: OutboxOptions) {
  const log = opts.logger.child({ feature: "outbox" });
  const handlers = new Map<string, OutboxHandler>();
  const connection = connectionOf(opts.redis);
  let queue: Promise<Queue<JobData>> | undefined;
  let worker: Promise<BullMQWorker<JobData>> | undefined;

  const getQueue = (): Promise<Queue<JobData>> => {
    queue ??= bullmq().then(({ Queue }) => {
      const q = new Queue<JobData>(QUEUE, { connection, prefix: PREFIX });
      q.on("error", (err) => log.warn({ err: { message: err.message } }, "outbox queue connection error"));
      return q;
    });
    return queue;
  };

  /** The group's window (a send into a group); the bot-wide line is taken by the send itself (`onBotLine`). */
  async function paceGroup(chatId: number): Promise<void> {
    if (chatId < 0) {
      for (;;) {
        const wait = await opts.pacing.takeGroup(chatId, opts.perGroupPerMinute);
        if (wait === 0) break;
        if (wait > MAX_INLINE_WAIT_MS) throw new PaceDelay(wait);
        await sleep(wait);
      }
    }
  }

  function deliveryOf(job: Job<JobData>): Delivery {
    const done = { ...job.data.done };
    const record = async (key: string, id: number) => {
      done[key] = id;
      await job.updateData({ payload: job.data.payload, done });
    };
    return {
      id: job.id ?? "",
      async send(key, chatId, send) {
        const sent = done[key];
        if (sent !== undefined) return sent;
        await paceGroup(chatId);
        // paceGroup() took the group's window: the API's group-window transformer must not count it again.
        const msg = await onBotLine(opts.pacing, opts.perSecond, () => alreadyCounted(send));
        // Right after the send: the one unavoidable window is a crash between these two lines.
        await record(key, msg.message_id);
        return msg.message_id;
      },
      async once(key, run) {
        if (done[key] !== undefined) return;
        await run();
        await record(key, 0);
      },
    };
  }

  async function runJob(job: Job<JobData>, token?: string): Promise<void> {
    const { DelayedError, UnrecoverableError } = await bullmq();
    const handler = handlers.get(job.name);
    if (!handler) throw new UnrecoverableError(`no outbox handler for ${job.name}`);
    const jobLog = log.child({ job: job.id, kind: job.name, attempt: job.attemptsMade + 1 });
    try {
      // A group upgraded mid-job: the send fails, the job runs again on the moved group (keys and sends).
      // Inside a job a long 429 stays the job's (it is delayed whole), not deferred as a separate call.
      await runInsideJob(job.id ?? "", () =>
        retryingUpgradesAsWhole(() => handler(job.data.payload, deliveryOf(job), jobLog)),
      );
    } catch (err) {
      const delayMs = err instanceof PaceDelay ? err.ms : retryAfterMs(err);
      if (delayMs !== undefined) {
        // Not a failure: it does not use up an attempt, and auto-retry has already waited out the earlier 429s.
        jobLog.info({ delayMs }, "outbox job delayed");
        await job.moveToDelayed(Date.now() + delayMs, token);
        throw new DelayedError();
      }
      if (err instanceof GrammyError && err.error_code >= 400 && err.error_code < 500 && upgradedTo(err) === undefined) {
        jobLog.warn({ err: { code: err.error_code, description: err.description } }, "outbox job refused by Telegram; not retried");
        throw new UnrecoverableError(err.description);
      }
      jobLog.warn({ err: { message: (err as Error).message, network: err instanceof HttpError } }, "outbox job failed; will retry");
      throw err;
    }
  }

  return {
    /** Registers what jobs of `kind` do (before `start`). */
    register(kind: string, handler: OutboxHandler): void {
      handlers.set(kind, handler);
    },

    /**
     * Enqueues a job once: a second enqueue with the same kind and id is a no-op while the first is kept.
     * `delayMs`: it runs no earlier than that from now.
     */
    async enqueue(kind: string, id: string, payload: Record<string, unknown>, opts: { delayMs?: number } = {}): Promise<void> {
      await (await getQueue()).add(kind, { payload, done: {} }, jobOptions(kind, id, opts.delayMs));
    },

    /** Many jobs of one kind at once (one round trip), each once by its id as `enqueue` does. */
    async enqueueMany(kind: string, jobs: readonly { id: string; payload: Record<string, unknown> }[]): Promise<void> {
      if (jobs.length === 0) return;
      await (await getQueue()).addBulk(jobs.map((j) => ({ name: kind, data: { payload: j.payload, done: {} }, opts: jobOptions(kind, j.id) })));
    },

    /** Starts this instance's worker; every instance runs one. */
    start(): void {
      worker ??= bullmq().then(({ Worker }) => startWorker(Worker));
    },

    /** Waits for running jobs, then closes the connections. */
    async stop(): Promise<void> {
      await (await worker)?.close();
      await (await queue)?.close();
      // BullMQ leaves a connection it was handed open; this one is ours to close.
      connection.disconnect();
    },

    /** Jobs not finished yet (waiting, delayed, running): the "outbox depth" gauge. */
    async depth(): Promise<number> {
      const counts = await (await getQueue()).getJobCounts("waiting", "delayed", "active", "prioritized", "waiting-children");
      return Object.values(counts).reduce((a, b) => a + b, 0);
    },
  };

  function startWorker(Worker: typeof BullMQWorker): BullMQWorker<JobData> {
    const w = new Worker<JobData>(QUEUE, runJob, {
      connection,
      prefix: PREFIX,
      concurrency: opts.concurrency,
      // A ceiling on jobs started, across workers; the sends themselves are paced one by one in Redis
      // (a job carries one message or several), so the ceiling sits above that pace, not on it.
      limiter: { max: opts.perSecond * 2, duration: 1000 },
      // A job whose instance died (kill -9) is taken up again by another within 10–20 s; a few
      // stalls (Redis restarts) are survivable, since progress is recorded per send.
      lockDuration: 10_000,
      stalledInterval: 10_000,
      maxStalledCount: 5,
    });
    w.on("error", (err) => log.warn({ err: { message: err.message } }, "outbox worker connection error"));
    w.on("failed", (job, err) => {
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) log.error({ job: job.id, err: { message: err.message } }, "outbox job gave up");
    });
    log.info({ concurrency: opts.concurrency, perSecond: opts.perSecond }, "outbox worker started");
    return w;
  }
}

function retryAfterMs(err: unknown): number | undefined {
  if (err instanceof GrammyError && err.error_code === 429) return (err.parameters.retry_after ?? 1) * 1000;
  return undefined;
}

export type Outbox = ReturnType<typeof createOutbox>;
