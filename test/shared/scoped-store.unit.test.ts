import { describe, expect, it } from "vitest";
import { scopedStore } from "../../src/shared/scoped-store.js";

const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("a store switched off when nothing runs inside it", () => {
  it("is seen across awaits inside its run, apart for runs at once, and not outside", async () => {
    const store = scopedStore<number>();
    const seen = await Promise.all(
      [1, 2, 3].map((n) =>
        store.run(n, async () => {
          await later(5 * (4 - n));
          await Promise.resolve();
          return store.getStore();
        }),
      ),
    );
    expect(seen).toEqual([1, 2, 3]);
    expect(store.getStore()).toBeUndefined();
  });

  it("is off once every run has settled: what a run left running sees no store then, but does while another runs", async () => {
    const store = scopedStore<string>();
    const orphan = (name: string, ms: number) => {
      let read: string | undefined = "unread";
      void store.run(name, async () => {
        // Not awaited: still running after its run has settled.
        void later(ms).then(() => (read = store.getStore()));
      });
      return () => read;
    };
    const alone = orphan("a", 10);
    await later(30);
    expect(alone()).toBeUndefined();

    let release: () => void = () => undefined;
    const holding = store.run("b", () => new Promise<void>((r) => (release = r)));
    const whileHeld = orphan("c", 10);
    await later(30);
    expect(whileHeld()).toBe("c");
    release();
    await holding;
    expect(store.getStore()).toBeUndefined();
  });

  it("settles its count when the work throws at once", async () => {
    const store = scopedStore<number>();
    const throws = (): Promise<void> => {
      throw new Error("at once");
    };
    expect(() => store.run(1, throws)).toThrow("at once");
    await expect(store.run(2, () => Promise.reject(new Error("later")))).rejects.toThrow("later");
    // Both runs counted out: the store is off again.
    let read: number | undefined = -1;
    void store.run(3, async () => void later(5).then(() => (read = store.getStore())));
    await later(20);
    expect(read).toBeUndefined();
  });
});
