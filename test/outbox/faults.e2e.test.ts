import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStage, type Stage } from "../support/scene.js";
import { waitFor } from "../support/wait-for.js";
import { lessonsIn, seedGroups, waitDelivered } from "./fanout.js";

let stage: Stage;

beforeAll(async () => {
  stage = await startStage({ limits: {} });
});

afterAll(async () => {
  await stage?.close();
});

describe("the outbox through a bad spell", () => {
  it("429s, 500s and timeouts from the Bot API for a while: every group gets the lesson exactly once", async () => {
    const { sim } = stage;
    const faults = [
      { method: "sendMessage", times: 4, kind: "429" as const, retryAfter: 2 },
      { method: "sendMessage", times: 10, kind: "500" as const },
      { method: "sendMessage", times: 3, kind: "timeout" as const, holdMs: 1500 },
      { method: "sendMessage", times: 4, kind: "network" as const },
    ];
    sim.faults.push(...faults);
    const chats = await seedGroups(sim, stage.redis.url, 40, Date.now() + 2000);
    await waitDelivered(sim, stage.redis.url, chats, 120_000);
    expect(faults.map((f) => f.times)).toEqual([0, 0, 0, 0]); // every fault was served
    expect(chats.map((c) => lessonsIn(sim, c).length).filter((n) => n !== 1)).toEqual([]);
  }, 180_000);

  it("a Redis restart in the middle of a fan-out: delivered afterwards, exactly once", async () => {
    const { sim } = stage;
    const chats = await seedGroups(sim, stage.redis.url, 60, Date.now() + 2000);
    const served = () => chats.filter((c) => lessonsIn(sim, c).length > 0).length;
    await sim.waitFor(() => served() >= 15, { timeout: 60_000 });
    const logsBefore = stage.bot.logs.length;
    await stage.redis.stop();
    // Redis stays away until the bot has noticed (its connection errors), so the restart is one it lives through.
    await waitFor(() => stage.bot.logs.slice(logsBefore).some((l) => l.includes("connection error")), { timeout: 30_000, message: "the bot noticing Redis gone" });
    await stage.redis.start();
    await waitDelivered(sim, stage.redis.url, chats, 150_000);
    expect(chats.map((c) => lessonsIn(sim, c).length).filter((n) => n !== 1)).toEqual([]);
  }, 200_000);

  it("a group that removed the bot is marked inactive, not retried forever", async () => {
    const { sim } = stage;
    const chats = await seedGroups(sim, stage.redis.url, 3, Date.now() + 2000);
    const gone = chats[1];
    if (!gone) throw new Error("no group");
    sim.state.chats.get(gone.id)?.members.set(sim.bot.id, { status: "kicked", since: Date.now() });
    const others = chats.filter((c) => c !== gone);
    await waitDelivered(sim, stage.redis.url, others, 60_000);
    await stage.bot.waitForLog(new RegExp(`"group":${gone.id}.*marked inactive`), 20_000);
    expect(lessonsIn(sim, gone)).toEqual([]);
    expect(await stage.bot.waitForLog(new RegExp(`"group":${gone.id},"msg":"group deactivated"`))).toBeTruthy();
  }, 90_000);
});
