import { Agent, request } from "node:http";
import { ApiError } from "./errors.js";

export type Update = { update_id: number } & Record<string, unknown>;

/** Update kinds Telegram leaves out unless allowed_updates lists them. */
const OPT_IN = new Set(["chat_member", "message_reaction", "message_reaction_count"]);

export interface Webhook {
  url: string;
  secret_token?: string;
  /** Concurrent deliveries, like Telegram's max_connections (1-100, default 40). */
  max_connections?: number;
  last_error_date?: number;
  last_error_message?: string;
}

interface Waiter {
  wake: () => void;
  cancel: (err: ApiError) => void;
}

/** Pending updates, delivered by getUpdates long polling or pushed to a webhook. */
export class UpdateQueue {
  private pending: Update[] = [];
  private nextId = 1;
  private allowed: string[] = [];
  private waiter: Waiter | undefined;
  webhook: Webhook | undefined;
  /** Webhook deliveries under way (Telegram keeps up to max_connections requests open at once). */
  private delivering = new Set<Update>();
  private workers = 0;
  /** Kept-alive connections to the webhook, as Telegram keeps them; cheaper than fetch under load. */
  private agent = new Agent({ keepAlive: true, maxSockets: 100 });
  private closed = false;
  /** Injected updates: delivered whatever their kind, so a test can send what allowed_updates would filter. */
  private readonly forced = new WeakSet<Update>();

  constructor(
    private readonly unixNow: () => number,
    private readonly webhookRetryMs: number,
  ) {}

  push(kind: string, payload: unknown): Update {
    const update: Update = { update_id: this.nextId++, [kind]: payload };
    this.pending.push(update);
    this.waiter?.wake();
    if (this.webhook) this.kickWebhook();
    return update;
  }

  /** Queues `raw` as it is, with the next update_id (replacing any it carries). */
  pushRaw(raw: Record<string, unknown>): Update {
    const update: Update = { ...raw, update_id: this.nextId++ };
    this.forced.add(update);
    this.pending.push(update);
    this.waiter?.wake();
    if (this.webhook) this.kickWebhook();
    return update;
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  /** How many updates were queued since the start (fetched or not). */
  get issuedCount(): number {
    return this.nextId - 1;
  }

  /** Whether a getUpdates is waiting for an update (a test can act once the bot is listening). */
  get longPolling(): boolean {
    return this.waiter !== undefined;
  }

  get allowedUpdates(): string[] {
    return [...this.allowed];
  }

  setAllowed(list: unknown): void {
    if (Array.isArray(list) && list.length > 0) this.allowed = list.map(String);
  }

  private isAllowed(u: Update): boolean {
    if (this.forced.has(u)) return true;
    const kind = Object.keys(u).find((k) => k !== "update_id") ?? "";
    return this.allowed.length > 0 ? this.allowed.includes(kind) : !OPT_IN.has(kind);
  }

  private take(offset: number | undefined, limit: number): Update[] {
    if (offset !== undefined && offset > 0) this.pending = this.pending.filter((u) => u.update_id >= offset);
    // Updates the bot did not ask for are dropped, as Telegram never stores them for it.
    this.pending = this.pending.filter((u) => this.isAllowed(u));
    return this.pending.slice(0, limit);
  }

  /** getUpdates: answers at once when something is queued, else waits up to `timeout` seconds. */
  async getUpdates(p: { offset?: number; limit?: number; timeout?: number }, signal: AbortSignal): Promise<Update[]> {
    if (this.webhook) {
      throw new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    }
    // A newer getUpdates terminates a waiting older one, as Telegram does.
    this.waiter?.cancel(new ApiError(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"));
    const limit = Math.min(Math.max(p.limit ?? 100, 1), 100);
    const ready = this.take(p.offset, limit);
    const timeout = Math.max(p.timeout ?? 0, 0);
    if (ready.length > 0 || timeout === 0 || this.closed) return ready;
    await new Promise<void>((resolve, reject) => {
      const finish = (err?: ApiError): void => {
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        if (this.waiter === me) this.waiter = undefined;
        if (err) reject(err);
        else resolve();
      };
      const onAbort = (): void => finish();
      const timer = setTimeout(() => finish(), timeout * 1000);
      const me: Waiter = {
        wake: () => {
          if (this.closed || this.pending.some((u) => this.isAllowed(u))) finish();
        },
        cancel: finish,
      };
      this.waiter = me;
      signal.addEventListener("abort", onAbort);
    });
    return this.take(undefined, limit);
  }

  setWebhook(hook: Webhook | undefined, dropPending: boolean): void {
    if (dropPending) this.pending = [];
    this.webhook = hook;
    if (hook) {
      this.waiter?.cancel(new ApiError(409, "Conflict: terminated by setWebhook request"));
      this.kickWebhook();
    }
  }

  private kickWebhook(): void {
    const max = Math.min(Math.max(this.webhook?.max_connections ?? 40, 1), 100);
    while (this.webhook && !this.closed && this.workers < max && this.pending.length > this.delivering.size) {
      this.workers++;
      void this.deliverLoop().finally(() => {
        this.workers--;
        if (this.webhook && this.pending.length > this.delivering.size && !this.closed) this.kickWebhook();
      });
    }
  }

  /** One connection: delivers the oldest update nobody is delivering, until none is left. */
  private async deliverLoop(): Promise<void> {
    while (this.webhook && !this.closed) {
      const next = this.take(undefined, this.pending.length).find((u) => !this.delivering.has(u));
      if (!next) return;
      const hook = this.webhook;
      this.delivering.add(next);
      try {
        const headers: Record<string, string> = { "content-type": "application/json" };
        if (hook.secret_token) headers["X-Telegram-Bot-Api-Secret-Token"] = hook.secret_token;
        const res = await this.post(hook.url, headers, JSON.stringify(next));
        if (res.status >= 200 && res.status < 300) {
          this.pending = this.pending.filter((u) => u !== next);
          continue;
        }
        hook.last_error_message = `Wrong response from the webhook: ${res.status} ${res.statusText}`;
      } catch (err) {
        hook.last_error_message = `Connection failed: ${err instanceof Error ? err.message : String(err)}`;
      } finally {
        this.delivering.delete(next);
      }
      hook.last_error_date = this.unixNow();
      await new Promise((r) => setTimeout(r, this.webhookRetryMs));
    }
  }

  private post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; statusText: string }> {
    return new Promise((resolve, reject) => {
      const req = request(url, { method: "POST", headers: { ...headers, "content-length": Buffer.byteLength(body) }, agent: this.agent }, (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? "" }));
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
    this.closed = true;
    this.waiter?.wake();
    this.webhook = undefined;
  }
}
