import { Redis } from "ioredis";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiBot } from "../../src/bot/create-bot.js";
import { DEFAULT_PACING, parseConfig } from "../../src/config/config.js";
import { createOutbox, createPacingRepository, groupWindow, type Outbox } from "../../src/outbox/index.js";
import { groupKey } from "../../src/shared/keys.js";
import { createSimulator, type SimChat, type Simulator } from "../../tools/simulator/index.js";
import { startRedis, type TestRedis } from "../support/redis-server.js";
import { letTimePass } from "../support/wait-for.js";

/** The API transformer puts every message into a group in the group's window, once; the outbox's own sends are not counted again. */
let server: TestRedis;
let redis: Redis;
let sim: Simulator;
let outbox: Outbox;
const logger = pino({ level: "silent" });
const windowOf = (chat: SimChat) => redis.zcard(groupKey(chat.id, "outbox", "pace"));

function groupWithBot(title: string): SimChat {
  const admin = sim.user({ first_name: `${title}管理员` });
  const chat = sim.group({ title, type: "supergroup", admins: [admin] });
  sim.addBot(chat, { by: admin, asAdmin: true });
  return chat;
}

beforeAll(async () => {
  sim = await createSimulator({ limits: false });
  server = await startRedis();
  redis = new Redis(server.url, { protocol: 2 });
});

afterAll(async () => {
  await outbox?.stop();
  redis?.disconnect();
  await sim?.close();
  await server?.destroy();
});

describe("the group window transformer", () => {
  const api = () => {
    const config = parseConfig({ BOT_TOKEN: sim.token, TELEGRAM_API_ROOT: sim.apiRoot, REDIS_URL: server.url });
    return createApiBot(config, undefined, undefined, groupWindow(createPacingRepository(redis), config.pacing.groupPerMinute, logger)).api;
  };

  it("counts each message sent into a group, and the outbox's sends once", async () => {
    const chat = groupWithBot("红星村学习群");
    const client = api();
    await client.sendMessage(chat.id, "一");
    await client.sendMessage(chat.id, "二");
    await client.getChat(chat.id); // not a message
    expect(await windowOf(chat)).toBe(2);

    outbox = createOutbox({ redis, pacing: createPacingRepository(redis), logger, perSecond: DEFAULT_PACING.botPerSecond, perGroupPerMinute: DEFAULT_PACING.groupPerMinute, concurrency: 1 });
    outbox.register("probe", async (_payload, delivery) => {
      await delivery.send("one", chat.id, () => client.sendMessage(chat.id, "来自发件箱"));
    });
    outbox.start();
    await outbox.enqueue("probe", "1", {});
    await sim.waitFor(() => sim.botMessages(chat).find((m) => m.text === "来自发件箱"), { timeout: 20_000 });
    expect(await windowOf(chat)).toBe(3);
  }, 60_000);

  it("a send into a full window waits for room instead of going out", async () => {
    const chat = groupWithBot("青山村学习群");
    const pacing = createPacingRepository(redis);
    expect(await pacing.takeGroup(chat.id, 20, 20)).toBe(0);
    const client = api();
    let sent = false;
    const sending = client.sendMessage(chat.id, "等一等").then(() => (sent = true));
    await letTimePass(1500); // long enough that a send not held back would have gone out
    expect(sent).toBe(false);
    expect(sim.botMessages(chat).some((m) => m.text === "等一等")).toBe(false);
    await redis.del(groupKey(chat.id, "outbox", "pace")); // the minute has passed
    await sending;
    expect(await windowOf(chat)).toBe(1);
  }, 30_000);
});
