import { describe, expect, it } from "vitest";
import { apiMetrics, createHealth, createMetrics, updateType } from "../../src/ops/index.js";
import { carriesNothing } from "../../src/ops/update-journal.js";
import type { Update } from "grammy/types";

const value = async (m: ReturnType<typeof createMetrics>, name: string, labels: Record<string, string> = {}) => {
  const metric = (await m.registry.getMetricsAsJSON()).find((x) => x.name === name);
  const v = (metric?.values as { value: number; labels: Record<string, string> }[] | undefined)?.find((x) =>
    Object.entries(labels).every(([k, l]) => x.labels[k] === l),
  );
  return v?.value ?? 0;
};

describe("API call metrics", () => {
  it("counts each attempt by method and outcome, 429s and sends apart", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const polled: string[] = [];
    const observe = apiMetrics(metrics, (m) => polled.push(m));
    const answers = [
      { ok: false as const, error_code: 429, description: "Too Many Requests", parameters: { retry_after: 1 } },
      { ok: true as const, result: true },
    ];
    const prev = (async () => answers.shift()) as never;
    await observe(prev, "sendMessage", { chat_id: 1, text: "x" });
    await observe(prev, "sendMessage", { chat_id: 1, text: "x" });
    await expect(observe((async () => Promise.reject(new Error("down"))) as never, "getUpdates", {})).rejects.toThrow("down");
    expect(await value(metrics, "sanxue_api_calls_total", { method: "sendMessage", outcome: "429" })).toBe(1);
    expect(await value(metrics, "sanxue_api_calls_total", { method: "sendMessage", outcome: "ok" })).toBe(1);
    expect(await value(metrics, "sanxue_api_calls_total", { method: "getUpdates", outcome: "network" })).toBe(1);
    expect(await value(metrics, "sanxue_api_429_total", { method: "sendMessage" })).toBe(1);
    expect(await value(metrics, "sanxue_sends_total", { method: "sendMessage", outcome: "ok" })).toBe(1);
    expect(polled).toEqual(["sendMessage"]);
  });

  it("the outbox depth is 0 until the outbox feeds it", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    expect((await metrics.render()).body).toContain("sanxue_outbox_depth 0");
    metrics.setOutboxDepthSource(async () => 17);
    expect((await metrics.render()).body).toContain("sanxue_outbox_depth 17");
  });

  it("names an update's type", () => {
    expect(updateType({ update_id: 1, callback_query: {} })).toBe("callback_query");
  });
});

describe("health", () => {
  const clock = () => {
    let now = 1_000_000;
    return { now: () => now, advance: (ms: number) => void (now += ms) };
  };
  const up = { ping: async () => "PONG" as const };
  const down = { ping: () => new Promise<"PONG">(() => undefined) };

  it("fails when Redis does not answer PING in time", async () => {
    const h = createHealth({ redis: down as never, mode: "polling", probeApi: async () => true, redisTimeoutMs: 20 });
    const r = await h.check();
    expect(r.status).toBe("fail");
    expect(r.redis.ok).toBe(false);
  });

  it("polling: fails when no getUpdates came back for too long", async () => {
    const c = clock();
    const h = createHealth({ redis: up as never, mode: "polling", probeApi: async () => true, now: c.now });
    expect((await h.check()).status).toBe("ok");
    c.advance(120_000);
    expect((await h.check()).updates.ok).toBe(false);
    h.sawInbound();
    expect((await h.check()).status).toBe("ok");
  });

  it("webhook: an idle bot is healthy while the Bot API answers, not when it does not", async () => {
    const c = clock();
    let reachable = true;
    const h = createHealth({ redis: up as never, mode: "webhook", now: c.now, probeApi: async () => {
      if (!reachable) throw new Error("unreachable");
      return true;
    } });
    c.advance(600_000);
    expect((await h.check()).updates).toMatchObject({ ok: true, api: "reachable" });
    reachable = false;
    c.advance(31_000); // past the probe cache
    expect((await h.check()).status).toBe("fail");
  });
});

describe("METRICS_PORT", () => {
  const base = { BOT_TOKEN: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ" };
  it("is optional, a port when given, and a wrong value names the variable", async () => {
    const { parseConfig, ConfigError } = await import("../../src/config/config.js");
    expect(parseConfig(base).metricsPort).toBeUndefined();
    expect(parseConfig({ ...base, METRICS_PORT: "9091" }).metricsPort).toBe(9091);
    expect(() => parseConfig({ ...base, METRICS_PORT: "http" })).toThrow(ConfigError);
    expect(() => parseConfig({ ...base, METRICS_PORT: "70000" })).toThrow(/METRICS_PORT/);
  });
});

describe("updates nothing is done for", () => {
  it("are an open poll's new counts, and nothing else", () => {
    const poll = { id: "p", question: "q", options: [], total_voter_count: 1, is_anonymous: false, type: "quiz", allows_multiple_answers: false };
    const message = { message_id: 1, date: 1, chat: { id: 1, type: "private", first_name: "Li" }, from: { id: 1, is_bot: false, first_name: "Li" } };
    // Shapes as Telegram sends them (fields the check does not read left out).
    const update = (u: object) => u as Update;
    expect(carriesNothing(update({ update_id: 1, poll: { ...poll, is_closed: false } }))).toBe(true);
    expect(carriesNothing(update({ update_id: 2, poll: { ...poll, is_closed: true } }))).toBe(false);
    expect(carriesNothing(update({ update_id: 3, poll_answer: { poll_id: "p", option_ids: [0] } }))).toBe(false);
    expect(carriesNothing(update({ update_id: 4, message }))).toBe(false);
    // Junk (not yet through the update guard) is never skipped, nor does it throw: the guard drops it.
    for (const junk of [null, "open", 7, {}, { is_closed: "no" }])
      expect(carriesNothing(update({ update_id: 6, poll: junk })), JSON.stringify(junk)).toBe(false);
    // Two kinds at once is no update of Telegram's: the guard drops it, after it was claimed.
    expect(carriesNothing(update({ update_id: 5, poll: { ...poll, is_closed: false }, message }))).toBe(false);
  });
});
