import { describe, expect, it } from "vitest";
import { EditCoalescer, type Timers } from "../../src/signins/edit-coalescer.js";

const flush = () => new Promise<void>((r) => setImmediate(r));

/** A hand-driven clock: timers fire only when the test advances time. */
function fakeTimers() {
  let now = 0;
  let seq = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const timers: Timers = {
    now: () => now,
    setTimeout: (fn, ms) => {
      pending.set(++seq, { at: now + ms, fn });
      return seq;
    },
    clearTimeout: (h) => void pending.delete(h as number),
  };
  async function advance(ms: number): Promise<void> {
    const target = now + ms;
    for (;;) {
      await flush();
      const next = [...pending.entries()].sort((a, b) => a[1].at - b[1].at)[0];
      if (!next || next[1].at > target) break;
      pending.delete(next[0]);
      now = next[1].at;
      next[1].fn();
    }
    now = target;
    await flush();
  }
  return { timers, advance };
}

describe("live-count edit coalescing", () => {
  it("a burst of 200 requests becomes one edit now and one trailing edit", async () => {
    const { timers, advance } = fakeTimers();
    const runs: number[] = [];
    let state = 0;
    const c = new EditCoalescer(5000, async () => void runs.push(state), timers);
    for (let i = 1; i <= 200; i++) {
      state = i;
      c.request("s1");
      if (i === 1) await advance(0);
    }
    await advance(4999);
    expect(runs).toEqual([1]);
    await advance(1);
    expect(runs).toEqual([1, 200]);
    await advance(60_000);
    expect(runs).toEqual([1, 200]);
  });

  it("a run told another instance holds the window tries again once it has passed, even with no new request", async () => {
    const { timers, advance } = fakeTimers();
    const tries: number[] = [];
    let busyFor = 1200;
    const c = new EditCoalescer(5000, async () => {
      tries.push(timers.now());
      const answer = busyFor;
      busyFor = 0;
      return answer;
    }, timers);
    c.request("s1");
    await advance(0);
    expect(tries).toEqual([0]);
    await advance(1199);
    expect(tries).toEqual([0]);
    await advance(1);
    expect(tries).toEqual([0, 1200]);
    await advance(60_000);
    expect(tries).toEqual([0, 1200]);
    expect(c.pending()).toBe(0);
  });

  it("never runs the same key more often than the interval", async () => {
    const { timers, advance } = fakeTimers();
    const at: number[] = [];
    const c = new EditCoalescer(3000, async () => void at.push(timers.now()), timers);
    for (let t = 0; t < 30_000; t += 100) {
      c.request("k");
      await advance(100);
    }
    await advance(10_000);
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(3000);
    expect(at.length).toBeLessThanOrEqual(11);
  });

  it("a request during a slow run gets one more run afterwards (the last state is shown)", async () => {
    const { timers, advance } = fakeTimers();
    let release: () => void = () => undefined;
    const runs: string[] = [];
    let state = "a";
    const c = new EditCoalescer(
      1000,
      (key) => {
        runs.push(`${key}=${state}`);
        return new Promise<void>((r) => (release = r));
      },
      timers,
    );
    c.request("k");
    await advance(0);
    state = "b";
    c.request("k");
    release();
    await advance(1000);
    expect(runs).toEqual(["k=a", "k=b"]);
  });

  it("keys are independent, and settle cancels a waiting run", async () => {
    const { timers, advance } = fakeTimers();
    const runs: string[] = [];
    const c = new EditCoalescer(5000, async (k) => void runs.push(k), timers);
    c.request("a");
    c.request("b");
    await advance(0);
    c.request("a");
    await c.settle("a");
    await advance(10_000);
    expect(runs).toEqual(["a", "b"]);
    expect(c.pending()).toBe(0);
  });

  it("stop drops a waiting run, waits for the one running, and later requests run nothing", async () => {
    const { timers, advance } = fakeTimers();
    const runs: string[] = [];
    let release: () => void = () => undefined;
    const c = new EditCoalescer(5000, async (k) => {
      runs.push(k);
      if (k === "a") await new Promise<void>((r) => (release = r));
    }, timers);
    c.request("a"); // runs at once, and is held
    c.request("b");
    await advance(0);
    c.request("b"); // waits for b's interval
    let stopped = false;
    const stopping = c.stop().then(() => (stopped = true));
    await advance(0);
    expect(stopped).toBe(false); // a is still running
    release();
    await stopping;
    c.request("c");
    await advance(10_000);
    expect(runs).toEqual(["a", "b"]);
    expect(c.pending()).toBe(0);
  });
});
