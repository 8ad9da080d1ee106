import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStage, type Stage } from "../support/scene.js";
import type { SimChat } from "../../tools/simulator/index.js";
import { waitFor } from "../support/wait-for.js";
import { lessonsIn, recordedSends, seedGroups, waitDelivered } from "./fanout.js";

const GROUPS = 200;
let stage: Stage;
let chats: SimChat[];

beforeAll(async () => {
  // Telegram's limits on: the fan-out takes several seconds, so there is a middle to crash in.
  stage = await startStage({ limits: {} });
  chats = await seedGroups(stage.sim, stage.redis.url, GROUPS, Date.now() + 3000);
});

afterAll(async () => {
  await stage?.close();
});

describe("a crash in the middle of a fan-out", () => {
  it("kill -9 with about half the groups served: after a restart every group has the lesson exactly once", async () => {
    const { sim } = stage;
    const served = () => chats.filter((c) => lessonsIn(sim, c).length > 0).length;
    await sim.waitFor(() => served() >= GROUPS / 2, { timeout: 60_000, interval: 1 });
    // From here Telegram holds every send without delivering it, and the bot dies with sends in
    // flight. A send delivered whose answer the bot never got to record is the one window no outbox
    // can close (Telegram has no idempotency key), so the kill waits until answered sends are recorded.
    sim.faults.push({ method: "sendMessage", times: 1000, kind: "timeout", holdMs: 60_000 });
    const delivered = () => chats.reduce((n, c) => n + sim.botMessages(c).length, 0);
    await waitFor(async () => (await recordedSends(stage.redis.url)) >= delivered(), { timeout: 30_000, message: "answered sends recorded" });
    await stage.bot.kill();
    sim.faults.length = 0;
    const atKill = served();
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(GROUPS);

    await stage.startAnotherBot();
    await waitDelivered(sim, stage.redis.url, chats, 120_000);
    const counts = chats.map((c) => lessonsIn(sim, c).length);
    expect(counts.filter((n) => n !== 1)).toEqual([]);
    expect(lessonsIn(sim, chats[0] as SimChat)[0]?.text).toContain("选种");
  }, 240_000);
});
