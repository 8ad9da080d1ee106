import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimulator, type Simulator } from "../../tools/simulator/index.js";
import { startBot, type BotProcess } from "../support/bot-process.js";
import { freePort, startRedis, type TestRedis } from "../support/redis-server.js";
import { FIXTURE_CONTENT } from "../support/scene.js";

let sim: Simulator;
let redis: TestRedis;
let bots: BotProcess[] = [];
let env: Record<string, string>;
const ports: number[] = [];

beforeAll(async () => {
  sim = await createSimulator({ limits: false, botUsername: "sanxue_test_bot" });
  redis = await startRedis();
  // Both instances get the same public URL (the balancer's); here it points at the first one.
  ports.push(await freePort(), await freePort());
  env = {
    BOT_TOKEN: sim.token, TELEGRAM_API_ROOT: sim.apiRoot, REDIS_URL: redis.url, CONTENT_DIR: FIXTURE_CONTENT,
    WEBHOOK_URL: `http://127.0.0.1:${ports[0]}/hook`, WEBHOOK_SECRET: "two-instances-secret",
  };
  // Two processes start at once: on a busy machine that can take longer than startBot's own wait.
  bots = await Promise.all(ports.map((port) => startBot({ ...env, PORT: String(port) }, { waitReady: false })));
  await Promise.all(bots.map((b) => b.waitForLog(/"msg":"webhook server listening"/, 100_000)));
}, 120_000);

afterAll(async () => {
  await Promise.all(bots.map((b) => b.kill()));
  await sim?.close();
  await redis?.destroy();
});

describe("two instances in webhook mode sharing Redis", () => {
  it("started together, only one of them calls setWebhook", async () => {
    expect(sim.calls.filter((c) => c.method === "setWebhook")).toHaveLength(1);
    expect(sim.calls.filter((c) => c.method === "getWebhookInfo").length).toBeGreaterThanOrEqual(2);
    const outcomes = await Promise.all(bots.map((b) => b.waitForLog(/webhook server listening/)));
    // The other one either saw the claim or, starting a moment later, found the webhook already right.
    const seen = outcomes.map((l) => (JSON.parse(l) as { webhook: string }).webhook);
    expect(seen.filter((w) => w === "set")).toHaveLength(1);
    expect(seen.filter((w) => w !== "set")[0]).toMatch(/^(unchanged|left-to-another-instance)$/);
  });

  it("a restarted instance finds the webhook as wanted and does not set it again", { timeout: 120_000 }, async () => {
    await bots[1]?.stop();
    bots[1] = await startBot({ ...env, PORT: String(ports[1]) }, { waitReady: false });
    const line = await bots[1].waitForLog(/webhook server listening/, 100_000);
    expect((JSON.parse(line) as { webhook: string }).webhook).toBe("unchanged");
    expect(sim.calls.filter((c) => c.method === "setWebhook")).toHaveLength(1);
  });

  it("either instance handles updates POSTed to it", async () => {
    const admin = sim.user({ first_name: "王书记" });
    const group = sim.group({ title: "双机村", admins: [admin] });
    sim.addBot(group, { by: admin, asAdmin: true });
    await sim.waitForBotMessage(group, (m) => (m.text ?? "").includes("/push"));
    // The second instance is not where Telegram posts; post to it directly as the balancer would.
    const res = await fetch(`http://127.0.0.1:${ports[1]}/hook`, {
      method: "POST",
      headers: { "content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "two-instances-secret" },
      body: JSON.stringify({
        update_id: 777_001,
        message: {
          message_id: 1, date: Math.floor(Date.now() / 1000), from: { id: admin.id, is_bot: false, first_name: admin.first_name },
          chat: { id: group.id, type: "supergroup", title: group.title }, text: "/help", entities: [{ type: "bot_command", offset: 0, length: 5 }],
        },
      }),
    });
    expect(res.status).toBe(200);
    const replies = () => sim.botMessages(group).filter((m) => (m.text ?? "").includes("/push")).length;
    await sim.waitFor(() => replies() === 2);
    expect(bots[1]?.logs.some((l) => l.includes('"update_id":777001'))).toBe(false); // no error logged for it
  });
});
