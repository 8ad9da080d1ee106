import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { GrammyError} from "grammy";
import { Bot, HttpError } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSimulator, type Simulator } from "../../tools/simulator/index.js";

let sim: Simulator;
let bot: Bot;

beforeEach(async () => {
  sim = await createSimulator({ limits: false, webhookRetryMs: 20, faultHoldMs: 300 });
  bot = new Bot(sim.token, { client: { apiRoot: sim.apiRoot, timeoutSeconds: 1 } });
});
afterEach(async () => {
  await sim.close();
});

describe("webhook", () => {
  it("posts updates with the secret header, retries after a non-2xx and blocks getUpdates", async () => {
    const received: { secret: string | undefined; body: string }[] = [];
    let failures = 1;
    const receiver = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        if (failures-- > 0) return void res.writeHead(500).end();
        received.push({ secret: req.headers["x-telegram-bot-api-secret-token"] as string | undefined, body });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", () => r()));
    const port = (receiver.address() as AddressInfo).port;
    try {
      await bot.api.setWebhook(`http://127.0.0.1:${port}/hook`, { secret_token: "s3cret" });
      const alice = sim.user({ first_name: "李明" });
      await sim.startPrivate(alice);
      await sim.waitFor(() => received.length === 1);
      expect(received[0]?.secret).toBe("s3cret");
      expect(JSON.parse(received[0]?.body ?? "{}").message.text).toBe("/start");
      const err = await bot.api.getUpdates().then(() => undefined, (e: unknown) => e);
      expect((err as GrammyError).error_code).toBe(409);
      expect((await bot.api.getWebhookInfo()).last_error_message).toContain("500");
    } finally {
      receiver.close();
    }
  });
});

describe("actors", () => {
  it("a timeout fault holds the request until the client gives up", async () => {
    sim.faults.push({ method: "sendMessage", times: 1, kind: "timeout", holdMs: 3000 });
    const alice = sim.user({ first_name: "李明" });
    await sim.startPrivate(alice);
    const err = await bot.api.sendMessage(alice.id, "hi").then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect(sim.botMessages(sim.privateChat(alice))).toHaveLength(0);
  });

  it("in privacy mode a non-admin bot sees commands but not chatter", async () => {
    const alice = sim.user({ first_name: "李明" });
    const group = sim.group({ title: "学习群", type: "group", admins: [alice] });
    sim.addBot(group, { by: alice });
    await sim.send(alice, group, "大家好");
    await sim.send(alice, group, "/me@sanxue_bot");
    const texts = (await bot.api.getUpdates({ timeout: 0 })).flatMap((u) => (u.message?.text ? [u.message.text] : []));
    expect(texts).toEqual(["/me@sanxue_bot"]);
    expect(group.id).toBeLessThan(0);
  });

  it("forum topics: createForumTopic, sending into it, and a missing thread is rejected", async () => {
    const alice = sim.user({ first_name: "李明" });
    const forum = sim.group({ title: "专家群", is_forum: true, admins: [alice] });
    sim.addBot(forum, { by: alice, asAdmin: true });
    const topic = await bot.api.createForumTopic(forum.id, "technology");
    await bot.api.sendMessage(forum.id, "Q#1", { message_thread_id: topic.message_thread_id });
    expect(sim.botMessages(forum).at(-1)?.message_thread_id).toBe(topic.message_thread_id);
    const err = await bot.api.sendMessage(forum.id, "x", { message_thread_id: 999 }).then(() => undefined, (e: unknown) => e);
    expect((err as GrammyError).description).toBe("Bad Request: message thread not found");
    const photo = await sim.sendPhoto(alice, forum, { caption: "/ask 叶子发黄", threadId: topic.message_thread_id });
    const copy = await bot.api.copyMessage(forum.id, forum.id, photo.message_id, { message_thread_id: topic.message_thread_id });
    const copied = sim.messages(forum).find((m) => m.message_id === copy.message_id);
    expect(copied?.photo?.file_id).toBe(photo.photo?.file_id);
    expect(copied?.caption).toBe("/ask 叶子发黄");
  });

  it("stores commands per scope and language", async () => {
    await bot.api.setMyCommands([{ command: "stats", description: "Weekly stats" }], {
      scope: { type: "all_chat_administrators" }, language_code: "en",
    });
    expect(sim.commands({ type: "all_chat_administrators" }, "en")).toEqual([{ command: "stats", description: "Weekly stats" }]);
    expect(sim.commands()).toEqual([]);
  });
});
