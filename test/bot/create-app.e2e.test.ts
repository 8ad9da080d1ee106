import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/bot/create-app.js";
import { parseConfig } from "../../src/config/config.js";
import { FIXTURE_CONTENT } from "../support/scene.js";
import { startAppStage, type AppStage } from "../support/stage.js";

let stage: AppStage;

beforeAll(async () => {
  stage = await startAppStage();
});
afterAll(async () => {
  await stage?.close();
});

describe("createApp in this process, as main.ts runs it", () => {
  it("start() long-polls and answers; stop() closes the Redis it opened and leaves what came later to the next instance", async () => {
    const { sim, redis } = stage;
    const config = parseConfig({ BOT_TOKEN: sim.token, TELEGRAM_API_ROOT: sim.apiRoot, REDIS_URL: redis.url, CONTENT_DIR: FIXTURE_CONTENT, FLOOD_LIMITS: "off" });
    const app = await createApp(config, { logger: pino({ level: "silent" }) });
    await app.start();
    expect(sim.calls.some((c) => c.method === "deleteWebhook")).toBe(true);
    await sim.waitFor(() => sim.calls.some((c) => c.method === "getUpdates"));
    const member = sim.user({ first_name: "李明" });
    const chat = sim.privateChat(member);
    await sim.send(member, chat, "/help");
    expect((await sim.waitForBotMessage(chat)).text).toBeTruthy();

    await app.stop();
    await sim.waitFor(() => app.redis.status === "end", { message: "the app left its Redis connection open" });
    // Sent while no instance runs: the next one takes it, nothing was confirmed and lost on the way out.
    await sim.send(member, chat, "/help");
    const next = await createApp(config, { logger: pino({ level: "silent" }) });
    await next.start();
    await sim.waitFor(() => sim.botMessages(chat).length === 2);
    await next.stop();
  });
});
