import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { startStage, type Stage } from "../support/scene.js";
import type { Fault, SimUser } from "../../tools/simulator/index.js";
import { waitFor } from "../support/wait-for.js";

/*
 * Long polling keeps the webhook's promise: a fetched update is journalled in Redis before its offset
 * is confirmed, so neither a SIGTERM nor a crash in the middle of handling it loses it.
 * A "timeout" fault holds the bot's reply (sendMessage) in the simulator: the handler is in flight.
 */
let stage: Stage;
let redis: Redis;

beforeAll(async () => {
  stage = await startStage();
  redis = new Redis(stage.redis.url, { protocol: 2 });
});
afterAll(async () => {
  redis?.disconnect();
  await stage?.close();
});

/** Holds the next sendMessage for `holdMs`, then drops its connection (the bot's auto-retry sends it again). */
function holdNextReply(holdMs: number): Fault {
  const fault: Fault = { method: "sendMessage", times: 1, kind: "timeout", holdMs };
  stage.sim.faults.push(fault);
  return fault;
}

const welcomes = (user: SimUser) => stage.sim.botMessages(stage.sim.privateChat(user)).filter((m) => (m.text ?? "").startsWith("你好，"));

describe("long polling with a journal", () => {
  it("SIGTERM while a handler is in flight lets it finish, then stops cleanly", { timeout: 60_000 }, async () => {
    const user = stage.sim.user({ first_name: "王芳" });
    const fault = holdNextReply(1_500);
    await stage.sim.startPrivate(user);
    await stage.sim.waitFor(() => fault.times === 0, { timeout: 15_000, message: "the bot never tried to reply" });
    const code = await stage.bot.stop();
    expect(code).toBe(0);
    // The reply went out before the process ended, not lost with it.
    expect(welcomes(user)).toHaveLength(1);
    expect(stage.bot.logs.some((l) => l.includes('"msg":"stopped"'))).toBe(true);
  });

  it("kill -9 while an update is handled: after a restart it is handled, exactly once", { timeout: 120_000 }, async () => {
    const bot = await stage.startAnotherBot();
    const user = stage.sim.user({ first_name: "赵刚" });
    const fault = holdNextReply(60_000);
    await stage.sim.startPrivate(user);
    await stage.sim.waitFor(() => fault.times === 0, { timeout: 15_000, message: "the bot never tried to reply" });
    await bot.kill();
    expect(welcomes(user)).toHaveLength(0);

    await stage.startAnotherBot();
    // Taken over from the journal once the dead instance's heartbeat is gone (15 s).
    await stage.sim.waitFor(() => welcomes(user).length > 0, { timeout: 60_000, message: "the update was lost" });
    await waitFor(async () => (await redis.xlen("sx:{upd}:journal")) === 0, { message: "the journal emptied" });
    expect(await redis.xlen("sx:{upd}:journal")).toBe(0);
    // A later update is handled as usual; the first one was not handled a second time meanwhile.
    const chat = stage.sim.privateChat(user);
    const after = stage.sim.messages(chat).at(-1);
    await stage.sim.send(user, chat, "/help");
    await stage.sim.waitForBotMessage(chat, () => true, { after, timeout: 20_000 });
    // One answer per update: the /start's (handled after the restart) and the /help's.
    expect(stage.sim.botMessages(chat)).toHaveLength(2);
  });
});
