import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimulator, type Simulator } from "../../tools/simulator/index.js";
import { startBot, type BotProcess } from "../support/bot-process.js";
import { freePort, startRedis, type TestRedis } from "../support/redis-server.js";
import { FIXTURE_CONTENT } from "../support/scene.js";
import { waitFor } from "../support/wait-for.js";

let redis: TestRedis;
const sims: Simulator[] = [];
const bots: BotProcess[] = [];

async function simulator(): Promise<Simulator> {
  const sim = await createSimulator({ limits: false, botUsername: "sanxue_test_bot" });
  sims.push(sim);
  return sim;
}

async function bot(env: Record<string, string>, opts: { waitReady?: boolean } = {}): Promise<BotProcess> {
  const b = await startBot({ REDIS_URL: redis.url, CONTENT_DIR: FIXTURE_CONTENT, ...env }, opts);
  bots.push(b);
  return b;
}

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await Promise.all(bots.map((b) => b.kill()));
  await Promise.all(sims.map((s) => s.close().catch(() => undefined)));
  await redis?.destroy();
});

describe("secrets never reach the process's output", () => {
  it("with the Bot API refusing and then unreachable under a running bot, nothing the process writes holds the token", async () => {
    const sim = await simulator();
    const b = await bot({ BOT_TOKEN: sim.token, TELEGRAM_API_ROOT: sim.apiRoot, LOG_LEVEL: "trace" });
    // Telegram sheds load: a 429 longer than auto-retry waits reaches the polling loop, which reports it.
    sim.faults.push({ method: "getUpdates", times: 1, kind: "429", retryAfter: 300 });
    await sim.startPrivate(sim.user({ first_name: "Li" })); // ends the long poll in flight
    await b.waitForLog(/getUpdates failed/, 30_000);
    await waitFor(() => b.logs.some((l) => /getUpdates/.test(l)), { timeout: 20_000 });
    // then the network goes: connections refused
    await sim.close();
    await b.stop();
    const secretPart = sim.token.split(":")[1] ?? "";
    const all = b.logs.join("\n");
    expect(all).not.toContain(secretPart);
    // library printing goes through the logger: one JSON line each, like every other line
    for (const line of b.logs) expect(() => JSON.parse(line)).not.toThrow();
  }, 90_000);

  it("in webhook mode with the Bot API gone, nothing the process writes holds the token or the webhook secret", async () => {
    const sim = await simulator();
    const port = await freePort();
    const secret = "hook_SECRET-0123456789abcdef";
    const b = await bot({
      BOT_TOKEN: sim.token,
      TELEGRAM_API_ROOT: sim.apiRoot,
      LOG_LEVEL: "trace",
      WEBHOOK_URL: `http://127.0.0.1:${port}/tg`,
      WEBHOOK_SECRET: secret,
      PORT: String(port),
    });
    await sim.close();
    const update = {
      update_id: 4242,
      message: { message_id: 1, date: Math.floor(Date.now() / 1000), chat: { id: 77, type: "private", first_name: "Li" }, from: { id: 77, is_bot: false, first_name: "Li" }, text: "/help", entities: [{ type: "bot_command", offset: 0, length: 5 }] },
    };
    const res = await fetch(`http://127.0.0.1:${port}/tg`, {
      method: "POST",
      headers: { "content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret },
      body: JSON.stringify(update),
    });
    expect(res.status).toBe(200); // journalled; its reply now waits on the missing API
    await b.stop();
    expect(b.logs.some((l) => l.includes('"msg":"shutting down"'))).toBe(true);
    const all = b.logs.join("\n");
    expect(all).not.toContain(sim.token.split(":")[1] ?? "");
    expect(all).not.toContain(secret);
    for (const line of b.logs) expect(() => JSON.parse(line)).not.toThrow();
  }, 90_000);
});

describe("start-up with a token or secret that cannot work", () => {
  it("a token Telegram refuses (401 from getMe) stops start-up at once with one line, without the token", async () => {
    const sim = await simulator();
    const wrong = "987654321:WRONGwrongWRONGwrongWRONGwrong_-12";
    const started = Date.now();
    const b = await bot({ BOT_TOKEN: wrong, TELEGRAM_API_ROOT: sim.apiRoot }, { waitReady: false });
    expect(await b.exited).toBe(1);
    const elapsed = Date.now() - started;
    const refused = b.logs.filter((l) => /token was refused/i.test(l));
    expect(refused).toHaveLength(1);
    expect(refused[0]).toContain("BOT_TOKEN");
    expect(b.logs.some((l) => /retrying/.test(l))).toBe(false);
    expect(b.logs.join("\n")).not.toContain("WRONGwrongWRONG");
    // old code: ten getMe attempts over about 20 s
    expect(elapsed).toBeLessThan(15_000);
  }, 60_000);

  it("network errors at getMe are still retried and the bot starts", async () => {
    const sim = await simulator();
    sim.faults.push({ method: "getMe", times: 2, kind: "network" });
    const b = await bot({ BOT_TOKEN: sim.token, TELEGRAM_API_ROOT: sim.apiRoot });
    expect(sim.faults).toHaveLength(0); // both failures were met, and retried
    expect(b.logs.some((l) => /token was refused/.test(l))).toBe(false);
  }, 60_000);

  it("a WEBHOOK_SECRET outside Telegram's 16-256 characters of A-Za-z0-9_- stops start-up with one line naming it", async () => {
    const sim = await simulator();
    for (const secret of ["short-secret", "a".repeat(257), "sixteen+chars/with%bad"]) {
      const b = await bot(
        { BOT_TOKEN: sim.token, TELEGRAM_API_ROOT: sim.apiRoot, WEBHOOK_URL: "https://bot.example.org/tg", WEBHOOK_SECRET: secret },
        { waitReady: false },
      );
      expect(await b.exited).toBe(1);
      expect(b.logs).toHaveLength(1);
      expect(b.logs[0]).toContain("WEBHOOK_SECRET");
      expect(b.logs[0]).toContain("16");
      expect(b.logs[0]).not.toContain(secret);
    }
  }, 90_000);
});
