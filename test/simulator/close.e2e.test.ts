import { Api } from "grammy";
import { describe, expect, it } from "vitest";
import { createSimulator } from "../../tools/simulator/index.js";

describe("the simulator's close()", () => {
  it("cuts a request in flight instead of waiting for it: the network is gone, as in a real outage", async () => {
    const sim = await createSimulator({ limits: false });
    const api = new Api(sim.token, { apiRoot: sim.apiRoot });
    // A request the server holds for a minute (Telegram slow to answer) is in flight when the network goes.
    sim.faults.push({ method: "sendMessage", times: 1, kind: "timeout", holdMs: 60_000 });
    const inFlight = api.sendMessage(1, "hello").then(() => "answered" as const, () => "cut" as const);
    await sim.waitFor(() => sim.faults.length === 0 || sim.faults[0]?.times === 0);
    const closed = await Promise.race([
      sim.close().then(() => "closed" as const),
      new Promise<"still open">((resolve) => setTimeout(() => resolve("still open"), 5000)),
    ]);
    expect(closed).toBe("closed");
    expect(await inFlight).toBe("cut");
  });
});
