import { AsyncLocalStorage } from "node:async_hooks";

export interface ScopedStore<T> {
  /** Runs `work` so that everything it starts, awaited or not, sees `store` while it runs. */
  run<R>(store: T, work: () => Promise<R>): Promise<R>;
  /** The store of the `run` this is inside, if any. */
  getStore(): T | undefined;
}

/**
 * An AsyncLocalStorage switched off whenever nothing runs inside it. Node 20 puts a hook on every promise
 * while any AsyncLocalStorage is enabled, and one stays enabled from its first `run` on (issue 11: async_hooks
 * was 5 % of a sign-in storm's profile, though presses run inside none). Off when idle, work outside every
 * store pays nothing. What a `run` started and left running after it settled (not awaited) sees no store once it is
 * off; every `run` here awaits its work.
 */
export function scopedStore<T>(): ScopedStore<T> {
  const storage = new AsyncLocalStorage<T>();
  let running = 0;
  const settled = () => {
    if (--running === 0) storage.disable();
  };
  return {
    run<R>(store: T, work: () => Promise<R>): Promise<R> {
      running++;
      let done: Promise<R>;
      try {
        done = storage.run(store, work);
      } catch (err) {
        settled();
        throw err;
      }
      return done.finally(settled);
    },
    getStore: () => storage.getStore(),
  };
}
