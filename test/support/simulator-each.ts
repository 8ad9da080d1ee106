import { Bot } from "grammy";
import { afterEach, beforeEach } from "vitest";
import { createSimulator, type Simulator } from "../../tools/simulator/index.js";

/** What each test of a simulator file gets afresh: the simulator (limits off) and a plain grammY bot on it. */
export interface SimulatorWithBot {
  sim: Simulator;
  bot: Bot;
}

/**
 * A new simulator and bot before each test of the file, closed after it: the tests of the simulator itself talk
 * to it as any bot would. `use` receives them (assign them to the file's `sim` and `bot`).
 */
export function simulatorEachTest(use: (world: SimulatorWithBot) => void): void {
  let sim: Simulator | undefined;
  beforeEach(async () => {
    sim = await createSimulator({ limits: false });
    use({ sim, bot: new Bot(sim.token, { client: { apiRoot: sim.apiRoot } }) });
  });
  afterEach(async () => {
    await sim?.close();
  });
}
