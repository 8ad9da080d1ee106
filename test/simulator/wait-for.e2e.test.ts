import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimulator, type Simulator } from "../../tools/simulator/index.js";

/* The simulator's waitFor awaits an async predicate: a promise is not itself the truthy value waited for. */
let sim: Simulator;
beforeAll(async () => {
  sim = await createSimulator({ limits: false, botUsername: "sanxue_wait_bot" });
});
afterAll(async () => {
  await sim?.close();
});

describe("the simulator's waitFor", () => {
  it("waits until an async predicate resolves truthy, and gives its value", async () => {
    let calls = 0;
    const value = await sim.waitFor(async () => (++calls >= 3 ? `after ${calls}` : false), { timeout: 2_000 });
    expect(value).toBe("after 3");
  });

  it("times out when an async predicate never holds", async () => {
    await expect(sim.waitFor(async () => false, { timeout: 100, message: "never" })).rejects.toThrow(/timed out after 100ms: never/);
  });
});
