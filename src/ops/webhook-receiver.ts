import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Update } from "grammy/types";
import { markReceived } from "./press-guard.js";
import { carriesNothing, createUpdateJournal, isUpdate, type UpdateJournalDeps } from "./update-journal.js";

const MAX_BODY = 1 << 20;

/** The journal's own settings, the webhook's secret, and a hook for every request (health). */
export interface WebhookReceiverDeps extends UpdateJournalDeps {
  secret: string;
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

/**
 * The webhook: an update is claimed (update_id, once) and journaled in Redis, then answered 200 at
 * once and handled in this process. Telegram never waits for slow work, and an update it saw
 * delivered survives a crash of this instance: another one (or this one restarted) takes it over
 * from the journal. If Redis is down the answer is 503 and Telegram delivers it again later.
 */
export function createWebhookReceiver(deps: WebhookReceiverDeps) {
  const { updates, logger, metrics } = deps;
  const journal = createUpdateJournal(deps);
  const count = (outcome: string) => metrics?.webhookRequests.inc({ outcome });

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
    if (carriesNothing(update)) {
      count("idle");
      metrics?.idle.inc();
      return void res.writeHead(200, { "content-type": "application/json" }).end("{}");
    }
    markReceived(update);
    // Back-pressure: with this many updates in hand, hold the request (Telegram sends less meanwhile).
    await journal.waitForSlot();
    let entryId: string | null;
    try {
      // While Redis is disconnected the write would wait in a queue: answer 503 now, Telegram resends.
      if (!updates.available()) throw new Error("redis is not connected");
      entryId = await updates.accept(update.update_id, JSON.stringify(update));
    } catch (err) {
      count("unavailable");
      logger.warn({ err: { message: (err as Error).message } }, "could not journal a webhook update; Telegram will resend it");
      return void res.writeHead(503).end("try again");
    }
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
    if (!entryId) return void count("duplicate");
    count("accepted");
    journal.dispatch(update as Update, entryId);
  }

  return {
    request,
    recover: journal.recover,
    start: journal.start,
    drain: journal.drain,
    get inFlight(): number {
      return journal.inFlight;
    },
  };
}

export type WebhookReceiver = ReturnType<typeof createWebhookReceiver>;
