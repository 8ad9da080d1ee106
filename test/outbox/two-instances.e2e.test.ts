import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStage, type Stage } from "../support/scene.js";
import type { BotProcess } from "../support/bot-process.js";
import { busiestSecond, lessonsIn, seedGroups, waitDelivered } from "./fanout.js";

let stage: Stage;
let second: BotProcess;

beforeAll(async () => {
  stage = await startStage({ limits: {} }); // Telegram's: 30 a second, 20 a minute per group
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
    // The line is shared through Redis: two instances each pacing alone would send twice Telegram's rate.
    // Each send holds its place until a second after its answer, so however late a request reaches
    // Telegram (a loaded machine), the two together never make 31 in a second.
    const sends = sim.calls.filter((c) => c.method === "sendMessage");
    expect(sends.filter((c) => c.error?.error_code === 429)).toEqual([]);
    expect(busiestSecond(sends.map((c) => c.at).sort((a, b) => a - b))).toBeLessThanOrEqual(30);
    const pushedBy = (bot: BotProcess) => bot.logs.filter((l) => l.includes('"msg":"lesson pushed"')).length;
    expect(pushedBy(stage.bot) + pushedBy(second)).toBe(chats.length);
    expect(pushedBy(stage.bot)).toBeGreaterThan(0);
    expect(pushedBy(second)).toBeGreaterThan(0);
  }, 120_000);
});
