import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStage, type Stage } from "../support/scene.js";
import { freePort } from "../support/redis-server.js";
import { Redis } from "ioredis";

let stage: Stage;
let base: string;

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  stage = await startStage({ env: { METRICS_PORT: String(port) } });
});
afterAll(async () => {
  await stage?.close();
});

describe("polling mode with METRICS_PORT", () => {
  it("serves /healthz and /metrics; a private /start is counted once", async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", updates: { mode: "polling" } });
    const user = stage.sim.user({ first_name: "李明" });
    await stage.sim.startPrivate(user);
    await stage.sim.waitForBotMessage(stage.sim.privateChat(user));
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/^sanxue_updates_total\{type="message"\} 1$/m);
    expect(text).toMatch(/^sanxue_api_calls_total\{method="getUpdates",outcome="ok"\} \d+$/m);
    expect(text).toMatch(/^sanxue_sends_total\{method="sendMessage",outcome="ok"\} [1-9]/m);
    expect(stage.sim.calls.some((c) => c.method === "setWebhook")).toBe(false);
  });

  it("an open poll's new counts are neither claimed nor handled; a closed poll is", async () => {
    const poll = (id: string, closed: boolean) => ({
      poll: { id, question: "买种子要看什么？", options: [{ text: "标签", voter_count: 1 }, { text: "颜色", voter_count: 0 }],
        total_voter_count: 1, is_closed: closed, is_anonymous: false, type: "quiz", allows_multiple_answers: false, correct_option_id: 0 },
    });
    const open = stage.sim.injectUpdate(poll("p-open", false)).update_id;
    const closed = stage.sim.injectUpdate(poll("p-closed", true)).update_id;
    const redis = new Redis(stage.redis.url, { protocol: 2 });
    try {
      const seen = (id: number) => redis.get(`sx:{upd}:seen:${id}`);
      // Counted when its handling ends; claimed (and journalled) before it began.
      const polls = async () => (await (await fetch(`${base}/metrics`)).text()).split("\n").filter((l) => /^sanxue_updates_(total\{type="poll"\}|idle_total)/.test(l));
      await stage.sim.waitFor(async () => (await polls()).length === 2, { message: "the poll counters never appeared" });
      expect((await polls()).sort()).toEqual(['sanxue_updates_idle_total 1', 'sanxue_updates_total{type="poll"} 1']);
      expect(await seen(closed)).not.toBeNull();
      expect(await seen(open)).toBeNull();
    } finally {
      redis.disconnect();
    }
  });
});
