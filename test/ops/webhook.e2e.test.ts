import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { startStage, type Stage } from "../support/scene.js";
import { freePort } from "../support/redis-server.js";
import type { SimChat, SimMessage, SimUser } from "../../tools/simulator/index.js";
import { waitFor } from "../support/wait-for.js";

const SECRET = "hook-secret_42-0123456789";
let stage: Stage;
let base: string;
let admin: SimUser;
let group: SimChat;
let nextUpdateId = 900_000;

const hasButtons = (m: SimMessage) => Boolean(m.reply_markup?.inline_keyboard?.length);

/** A message update as Telegram would POST it, typed by `from` in `group`. */
function commandUpdate(from: SimUser, text: string): Record<string, unknown> {
  const command = text.split(" ")[0] ?? text;
  return {
    update_id: nextUpdateId++,
    message: {
      message_id: stage.sim.messages(group).at(-1)?.message_id ?? 1,
      date: Math.floor(Date.now() / 1000),
      chat: { id: group.id, type: "supergroup", title: group.title },
      from: { id: from.id, is_bot: false, first_name: from.first_name },
      text,
      entities: [{ type: "bot_command", offset: 0, length: command.length }],
    },
  };
}

function post(update: unknown, secret?: string): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (secret !== undefined) headers["X-Telegram-Bot-Api-Secret-Token"] = secret;
  return fetch(`${base}/tg/hook`, { method: "POST", headers, body: JSON.stringify(update) });
}

async function metric(line: RegExp): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const found = text.split("\n").find((l) => line.test(l));
  return found ? Number(found.split(" ").at(-1)) : 0;
}

async function health(): Promise<number> {
  return fetch(`${base}/healthz`).then((r) => r.status, () => 0);
}

/** Sends /help through the simulator and waits for the answer: everything before it in this chat is done. */
async function barrier(): Promise<void> {
  const before = stage.sim.messages(group).at(-1);
  await stage.sim.send(admin, group, "/help");
  await stage.sim.waitForBotMessage(group, (m) => (m.text ?? "").includes("/push"), { after: before });
}

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  stage = await startStage({ env: { WEBHOOK_URL: `${base}/tg/hook`, WEBHOOK_SECRET: SECRET, PORT: String(port) } });
  admin = stage.sim.user({ first_name: "王书记" });
  group = stage.sim.group({ title: "网钩村", admins: [admin] });
  stage.sim.addBot(group, { by: admin, asAdmin: true });
  await stage.sim.waitForBotMessage(group, (m) => (m.text ?? "").includes("/push"));
});

afterAll(async () => {
  await stage?.close();
});

describe("webhook mode, one instance", () => {
  it("sets the webhook with the secret and takes updates through it: /push brings a lesson", async () => {
    const set = stage.sim.calls.filter((c) => c.method === "setWebhook");
    expect(set).toHaveLength(1);
    expect(set[0]?.params.secret_token).toBe(SECRET);
    const before = stage.sim.messages(group).at(-1);
    await stage.sim.send(admin, group, "/push technology");
    const lesson = await stage.sim.waitForBotMessage(group, hasButtons, { after: before });
    expect(lesson.text).toContain("选种");
  });

  it("a request without the secret or with a wrong one gets 401 and changes nothing", async () => {
    const redis = new Redis(stage.redis.url, { protocol: 2 });
    try {
      const lessonsBefore = stage.sim.botMessages(group).filter(hasButtons).length;
      const update = commandUpdate(admin, "/push policy");
      expect((await post(update)).status).toBe(401);
      expect((await post(update, "wrong")).status).toBe(401);
      expect((await post(update, SECRET + "x")).status).toBe(401);
      await barrier();
      expect(stage.sim.botMessages(group).filter(hasButtons).length).toBe(lessonsBefore);
      expect(await redis.exists(`sx:{upd}:seen:${String(update.update_id)}`)).toBe(0);
      // The refused update was not claimed: with the right secret it is handled.
      expect((await post(update, SECRET)).status).toBe(200);
      await stage.sim.waitFor(() => stage.sim.botMessages(group).filter(hasButtons).length === lessonsBefore + 1);
    } finally {
      redis.disconnect();
    }
  });

  it("the same update POSTed twice (Telegram redelivering) is handled once", async () => {
    const lessonsBefore = stage.sim.botMessages(group).filter(hasButtons).length;
    const update = commandUpdate(admin, "/push constitution");
    const [a, b] = await Promise.all([post(update, SECRET), post(update, SECRET)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await stage.sim.waitFor(() => stage.sim.botMessages(group).filter(hasButtons).length > lessonsBefore);
    expect((await post(update, SECRET)).status).toBe(200);
    await barrier();
    expect(stage.sim.botMessages(group).filter(hasButtons).length).toBe(lessonsBefore + 1);
    expect(await metric(/^sanxue_webhook_requests_total\{outcome="duplicate"\}/)).toBe(2);
  });

  it("an open poll's new counts get 200 and are not claimed; a closed poll is", async () => {
    const redis = new Redis(stage.redis.url, { protocol: 2 });
    try {
      const poll = (update_id: number, closed: boolean) => ({
        update_id,
        poll: { id: `p${update_id}`, question: "买种子要看什么？", options: [{ text: "标签", voter_count: 1 }], total_voter_count: 1,
          is_closed: closed, is_anonymous: false, type: "quiz", allows_multiple_answers: false },
      });
      const open = nextUpdateId++;
      const closed = nextUpdateId++;
      expect((await post(poll(open, false), SECRET)).status).toBe(200);
      expect((await post(poll(closed, true), SECRET)).status).toBe(200);
      await barrier();
      expect(await redis.exists(`sx:{upd}:seen:${open}`)).toBe(0);
      expect(await redis.exists(`sx:{upd}:seen:${closed}`)).toBe(1);
      expect(await metric(/^sanxue_webhook_requests_total\{outcome="idle"\}/)).toBe(1);
    } finally {
      redis.disconnect();
    }
  });

  it("a body that is not an update gets 400", async () => {
    expect((await post({ hello: 1 }, SECRET)).status).toBe(400);
  });

  it("/metrics names the metrics and counts an update", async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    for (const name of [
      "sanxue_updates_total", "sanxue_update_duration_seconds", "sanxue_api_calls_total", "sanxue_sends_total",
      "sanxue_api_429_total", "sanxue_outbox_depth", "sanxue_scheduler_lag_seconds", "sanxue_webhook_requests_total",
    ]) expect(text).toContain(`# TYPE ${name}`);
    expect(text).toMatch(/sanxue_api_calls_total\{method="sendMessage",outcome="ok"\} \d+/);
    const before = await metric(/^sanxue_updates_total\{type="message"\}/);
    await barrier();
    expect(await metric(/^sanxue_updates_total\{type="message"\}/)).toBe(before + 1);
  });

  it("/healthz is 200 with Redis up, 503 soon after Redis stops, and 200 again after it restarts", async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { redis: { ok: boolean } }).redis.ok).toBe(true);
    await stage.redis.stop();
    let status = 0;
    await waitFor(async () => (status = await health()) === 503, { timeout: 5000, interval: 100, message: "/healthz 503" });
    expect(status).toBe(503);
    await stage.redis.start();
    await waitFor(async () => (status = await health()) === 200, { timeout: 10_000, interval: 100, message: "/healthz 200 again" });
    expect(status).toBe(200);
  });
});
