import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Update } from "grammy/types";
import type { Logger } from "../shared/logger.js";
import { markPreclaimed } from "./dedupe.js";
import type { Metrics } from "./metrics.js";
import type { UpdatesRepository } from "./updates.repository.js";

const MAX_BODY = 1 << 20;
/** A crashed instance's accepted updates are taken over once its heartbeat is gone (15 s) and they are this old. */
const RECOVER_AFTER_MS = 5_000;

export interface WebhookReceiverDeps {
  secret: string;
  updates: UpdatesRepository;
  /** Runs the bot's middleware on one update (bot.handleUpdate). */
  handle(update: Update): Promise<void>;
  logger: Logger;
  metrics?: Metrics;
  /** Updates handled at once before new requests wait (the webhook then answers more slowly). */
  maxInFlight?: number;
  /** How old a dead instance's journal entry must be before it is taken over (ms). */
  recoverAfterMs?: number;
  onRequest?(): void;
}

function secretMatches(given: string | string[] | undefined, secret: string): boolean {
  if (typeof given !== "string") return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) return void req.destroy(new Error("body too large"));
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function isUpdate(value: unknown): value is Update {
  return typeof value === "object" && value !== null && Number.isSafeInteger((value as { update_id?: unknown }).update_id);
}

/**
 * The webhook: an update is claimed (update_id, once) and journaled in Redis, then answered 200 at
 * once and handled in this process. Telegram never waits for slow work, and an update it saw
 * delivered survives a crash of this instance: another one (or this one restarted) takes it over
 * from the journal. If Redis is down the answer is 503 and Telegram delivers it again later.
 */
export function createWebhookReceiver(deps: WebhookReceiverDeps) {
  const { updates, logger, metrics } = deps;
  const maxInFlight = deps.maxInFlight ?? 500;
  const inFlight = new Set<Promise<void>>();
  const slotWaiters: (() => void)[] = [];
  const count = (outcome: string) => metrics?.webhookRequests.inc({ outcome });

  function dispatch(update: Update, entryId: string): void {
    markPreclaimed(update);
    const job: Promise<void> = deps
      .handle(update)
      .catch((err: unknown) => logger.error({ err, update_id: update.update_id }, "update failed outside the bot's error handler"))
      .then(() => updates.settle(entryId))
      .catch((err: unknown) => logger.warn({ err, entryId }, "could not settle a journal entry"))
      .finally(() => {
        inFlight.delete(job);
        slotWaiters.shift()?.();
      });
    inFlight.add(job);
  }

  async function request(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!secretMatches(req.headers["x-telegram-bot-api-secret-token"], deps.secret)) {
      count("unauthorized");
      req.resume();
      return void res.writeHead(401).end("secret token is wrong");
    }
    deps.onRequest?.();
    let update: unknown;
    try {
      update = JSON.parse(await readBody(req));
    } catch {
      update = undefined;
    }
    if (!isUpdate(update)) {
      count("bad_request");
      return void res.writeHead(400).end("not an update");
    }
    // Back-pressure: with this many updates in hand, hold the request (Telegram sends less meanwhile).
    while (inFlight.size >= maxInFlight) await new Promise<void>((r) => slotWaiters.push(r));
    let entryId: string | null;
    try {
      entryId = await updates.accept(update.update_id, JSON.stringify(update));
    } catch (err) {
      count("unavailable");
      logger.warn({ err: { message: (err as Error).message } }, "could not journal a webhook update; Telegram will resend it");
      return void res.writeHead(503).end("try again");
    }
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
    if (!entryId) return void count("duplicate");
    count("accepted");
    dispatch(update, entryId);
  }

  /** Takes over accepted updates that a crashed instance left in the journal. */
  async function recover(): Promise<number> {
    const taken = await updates.recover(deps.recoverAfterMs ?? RECOVER_AFTER_MS);
    for (const { entryId, json } of taken) {
      const update: unknown = JSON.parse(json);
      if (!isUpdate(update)) {
        await updates.settle(entryId);
        continue;
      }
      metrics?.recovered.inc();
      logger.warn({ update_id: update.update_id }, "handling an update a stopped instance had accepted");
      dispatch(update, entryId);
    }
    return taken.length;
  }

  let timer: NodeJS.Timeout | undefined;
  return {
    request,
    recover,
    /** Recovers now and then every few seconds. */
    start(everyMs = 5_000): void {
      const loop = () => void recover().catch((err: unknown) => logger.warn({ err: { message: (err as Error).message } }, "journal recovery failed"));
      loop();
      timer = setInterval(loop, everyMs);
      timer.unref();
    },
    /** Stops recovering and waits for the updates in hand. */
    async drain(): Promise<void> {
      clearInterval(timer);
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    get inFlight(): number {
      return inFlight.size;
    },
  };
}

export type WebhookReceiver = ReturnType<typeof createWebhookReceiver>;
