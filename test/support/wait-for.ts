export interface WaitForOptions {
  /** Give up after this long (ms); default 10 s. */
  timeout?: number;
  /** Time between two looks (ms); default 20. */
  interval?: number;
  /** Said in the error on time-out: what did not happen. */
  message?: string;
}

type Falsy = false | 0 | "" | null | undefined;

/**
 * Looks at `condition` until it gives something truthy and returns that; rejects after `timeout`.
 * The one way a test waits for something it can observe (a fixed sleep is either too short on a
 * loaded machine or wastes time on an idle one). A condition that throws counts as not yet.
 */
export async function waitFor<T>(condition: () => T | Falsy | Promise<T | Falsy>, opts: WaitForOptions = {}): Promise<T> {
  const timeout = opts.timeout ?? 10_000;
  const interval = opts.interval ?? 20;
  const started = Date.now();
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() - started > timeout) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : "";
      throw new Error(`waitFor timed out after ${timeout} ms${opts.message ? `: ${opts.message}` : ""}${why}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** Lets `ms` pass on purpose: only to show that something does NOT happen in that time. */
export const letTimePass = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
