import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStage, type Stage } from "../support/scene.js";
import type { BotProcess } from "../support/bot-process.js";
import { lessonsIn, seedGroups, waitDelivered } from "./fanout.js";

let stage: Stage;
let second: BotProcess;

beforeAll(async () => {
  stage = await startStage({ limits: {} });
  second = await stage.startAnotherBot();
});

afterAll(async () => {
  await stage?.close();
});

describe("two bot processes, both running the scheduler and the outbox", () => {
  it("push each group's slot once, and share the work", async () => {
    const { sim } = stage;
    const chats = await seedGroups(sim, stage.redis.url, 120, Date.now() + 3000);
    await waitDelivered(sim, stage.redis.url, chats, 90_000);
    expect(chats.map((c) => lessonsIn(sim, c).length).filter((n) => n !== 1)).toEqual([]);
    // The pace is shared through Redis: two instances each pacing alone would send twice Telegram's
    // rate and be refused about half the time; timer jitter (worse on a loaded machine) lets through a few.
    const sends = sim.calls.filter((c) => c.method === "sendMessage");
    const refused = sends.filter((c) => c.error?.error_code === 429);
    expect(refused.length).toBeLessThan(sends.length / 5);
    const pushedBy = (bot: BotProcess) => bot.logs.filter((l) => l.includes('"msg":"lesson pushed"')).length;
    expect(pushedBy(stage.bot) + pushedBy(second)).toBe(chats.length);
    expect(pushedBy(stage.bot)).toBeGreaterThan(0);
    expect(pushedBy(second)).toBeGreaterThan(0);
  }, 120_000);
});
