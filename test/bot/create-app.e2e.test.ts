import type { Redis } from "ioredis";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/bot/create-app.js";
import { parseConfig } from "../../src/config/config.js";
import { FIXTURE_CONTENT } from "../support/scene.js";
import { startAppStage, type AppStage } from "../support/stage.js";
import { letTimePass } from "../support/wait-for.js";

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

  it("sends getMe while the content and Redis load, and the menus only once the first getUpdates is on its way", async () => {
    const { sim, redis } = stage;
    const config = parseConfig({ BOT_TOKEN: sim.token, TELEGRAM_API_ROOT: sim.apiRoot, REDIS_URL: redis.url, CONTENT_DIR: FIXTURE_CONTENT, FLOOD_LIMITS: "off" });
    const since = Date.now();
    const calls = () => sim.calls.filter((c) => c.at >= since).map((c) => c.method);
    const app = await createApp(config, { logger: pino({ level: "silent" }) });
    // Built, not started: the token's round trip is already under way (nothing that changes Telegram's state is sent).
    await sim.waitFor(() => calls().includes("getMe"), { message: "createApp did not send getMe while it loaded" });
    expect(calls()).toEqual(["getMe"]);
    await app.start();
    await sim.waitFor(() => calls().includes("setMyCommands"));
    const seen = calls();
    expect(seen.indexOf("deleteWebhook")).toBeLessThan(seen.indexOf("getUpdates"));
    expect(seen.indexOf("getUpdates")).toBeLessThan(seen.indexOf("setMyCommands"));
    expect(seen.filter((m) => m === "getMe")).toHaveLength(1);
    await app.stop();
  });
  it("stop() waits for the menus start() began, so no Bot API call outlives the app", async () => {
    const { sim, redis } = stage;
    const config = parseConfig({ BOT_TOKEN: sim.token, TELEGRAM_API_ROOT: sim.apiRoot, REDIS_URL: redis.url, CONTENT_DIR: FIXTURE_CONTENT, FLOOD_LIMITS: "off" });
    // The first menu is held 2 s and then dropped; the menus go on with the next scope after it.
    sim.faults.push({ method: "setMyCommands", times: 1, kind: "timeout", holdMs: 2000 });
    const app = await createApp(config, { logger: pino({ level: "silent" }) });
    await app.start();
    await app.stop();
    const stoppedAt = sim.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(sim.calls.slice(stoppedAt).map((c) => c.method)).toEqual([]);
  });

  it("stop() ends the live-count edits, the one running and the one waiting: nothing reaches Redis or Telegram after", async () => {
    const { sim } = stage;
    const svc = await stage.app({ pacing: { liveEditIntervalMs: 300 } });
    const admin = sim.user({ first_name: "停机书记" });
    const chat = sim.group({ title: "停机村", type: "supergroup", admins: [admin] });
    sim.addBot(chat, { by: admin, asAdmin: true });
    const { group } = await svc.services.groups.register({ id: chat.id, type: "supergroup", title: "停机村" });
    const opened = await svc.services.signins.open(group, { minutes: 30, title: "停机前签到", openedBy: admin.id });
    if (opened.kind !== "opened") throw new Error("no sign-in opened");
    // The first live edit is held by Telegram; a second press meanwhile leaves one more edit waiting behind it.
    const held = { method: "editMessageText", times: 1, kind: "timeout" as const, holdMs: 500 };
    sim.faults.push(held);
    await svc.services.signins.signIn(group, 7001, opened.session.id);
    await sim.waitFor(() => held.times === 0, { timeout: 10_000 });
    await svc.services.signins.signIn(group, 7002, opened.session.id);

    // Every command the app's Redis client is given once close() (the app's stop(), then the client's quit) has returned.
    const client = svc.redis as Redis; // one server here, not a cluster
    const after: string[] = [];
    let closed = false;
    const send = client.sendCommand.bind(client);
    client.sendCommand = (command, stream) => {
      if (closed) after.push(command.name);
      return send(command, stream);
    };
    await svc.close();
    closed = true;
    const closedAt = sim.calls.length;
    await letTimePass(5000); // past the held edit, its retry and the interval of the waiting one
    expect(after).toEqual([]);
    expect(sim.calls.slice(closedAt).map((c) => c.method)).toEqual([]);
  });
});
