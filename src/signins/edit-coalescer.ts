/**
 * Coalesces "show the new count" requests per key (a sign-in session) so a burst of presses
 * becomes a few edits: at most one run per `intervalMs` per key, never two at once, and a request
 * that arrives during a wait or a run always gets one more run afterwards, so the last state is shown.
 * Telegram counts edits against the 20-messages-a-minute limit of a group.
 * A run may answer a number of milliseconds: another instance holds the key's window (see
 * `claimEdit` in the sign-ins repository), so the run is tried again once that window has passed.
 */
export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const h = setTimeout(fn, ms);
    h.unref?.();
    return h;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

interface KeyState {
  last: number;
  timer?: unknown;
  running?: Promise<void>;
  dirty: boolean;
}

export class EditCoalescer {
  private readonly keys = new Map<string, KeyState>();
  private stopped = false;

  constructor(
    private readonly intervalMs: number,
    private readonly run: (key: string) => Promise<number | void>,
    private readonly timers: Timers = realTimers,
  ) {}

  /** Asks for a run of `key`: now if the last one was long enough ago, else once the interval has passed. */
  request(key: string): void {
    if (this.stopped) return;
    if (this.keys.size > 1000) this.prune();
    const s = this.keys.get(key) ?? { last: -Infinity, dirty: false };
    this.keys.set(key, s);
    if (s.timer !== undefined || s.running) {
      s.dirty = true;
      return;
    }
    this.schedule(key, s);
  }

  private schedule(key: string, s: KeyState, retryInMs?: number): void {
    const wait = retryInMs ?? Math.max(0, s.last + this.intervalMs - this.timers.now());
    s.timer = this.timers.setTimeout(() => {
      s.timer = undefined;
      void this.fire(key, s);
    }, wait);
  }

  private async fire(key: string, s: KeyState): Promise<void> {
    s.last = this.timers.now();
    s.dirty = false; // this run reads the state as it is now; later requests mark it dirty again
    const run = this.run(key).then(
      (retryIn) => retryIn,
      () => undefined,
    );
    s.running = run.then(() => undefined);
    const retryIn = await run;
    s.running = undefined;
    if (this.keys.get(key) !== s || this.stopped) return; // settled or stopped meanwhile
    // Another instance edited within the window: this state is shown by one more try after it.
    if (typeof retryIn === "number" && retryIn > 0) this.schedule(key, s, retryIn);
    else if (s.dirty) this.schedule(key, s);
  }

  /** Forgets idle keys whose interval has passed (their next request may run at once anyway). */
  private prune(): void {
    const now = this.timers.now();
    for (const [key, s] of this.keys) {
      if (s.timer === undefined && !s.running && s.last + this.intervalMs <= now) this.keys.delete(key);
    }
  }

  /** Cancels any waiting run of `key` and waits for one in progress (before a final edit of our own). */
  async settle(key: string): Promise<void> {
    const s = this.keys.get(key);
    if (!s) return;
    this.keys.delete(key);
    if (s.timer !== undefined) this.timers.clearTimeout(s.timer);
    s.timer = undefined;
    s.dirty = false;
    await s.running;
  }

  /**
   * The app stops: runs waiting are dropped (the closing's final edit, here or on another instance, shows the
   * count) and the runs in progress are waited for, so none touches Redis or Telegram after; later requests do nothing.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.keys.keys()].map((key) => this.settle(key)));
  }

  /** Keys with a run waiting or in progress (for tests). */
  pending(): number {
    return [...this.keys.values()].filter((s) => s.timer !== undefined || s.running).length;
  }
}
