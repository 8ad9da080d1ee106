import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimulator, type Simulator } from "../../tools/simulator/index.js";
import { startRedis, type TestRedis } from "../support/redis-server.js";
import { FIXTURE_CONTENT } from "../support/scene.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Runs `npm run doctor`'s entry point as a process, as an operator would. */
function doctor(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/ops/doctor-cli.ts"], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    child.on("exit", (code) => resolve({ code, out }));
  });
}

let sim: Simulator;
let redis: TestRedis;
let env: Record<string, string>;

beforeAll(async () => {
  sim = await createSimulator({ limits: false, botUsername: "sanxue_doctor_bot" });
  redis = await startRedis();
  const expert = sim.user({ first_name: "专家" });
  const experts = sim.group({ title: "专家群", type: "supergroup", is_forum: true, admins: [expert] });
  sim.addBot(experts, { by: expert, asAdmin: true });
  env = {
    BOT_TOKEN: sim.token,
    TELEGRAM_API_ROOT: sim.apiRoot,
    REDIS_URL: redis.url,
    CONTENT_DIR: FIXTURE_CONTENT,
    EXPERTS_CHAT_ID: String(experts.id),
  };
});

afterAll(async () => {
  await sim?.close();
  await redis?.destroy();
});

describe("npm run doctor", () => {
  it("passes every line on a good set-up, without printing the token", async () => {
    const { code, out } = await doctor(env);
    expect(out).toContain("✓ configuration valid");
    expect(out).toContain("✓ token accepted: @sanxue_doctor_bot");
    expect(out).toContain("✓ privacy mode on");
    expect(out).toMatch(/✓ Redis at 127\.0\.0\.1:\d+ reachable, append-only file on/);
    expect(out).toContain("✓ experts' chat");
    expect(out).not.toContain("✗");
    expect(out).toMatch(/all \d+ checks passed/);
    expect(out).not.toContain(sim.token);
    expect(code).toBe(0);
  });

  it("says in one line that Redis is stopped, with the fix", async () => {
    await redis.stop();
    try {
      const { code, out } = await doctor(env);
      const redisLines = out.split("\n").filter((l) => l.includes("Redis"));
      expect(redisLines).toHaveLength(1);
      expect(redisLines[0]).toMatch(/^✗ Redis at 127\.0\.0\.1:\d+ unreachable: .* — fix: start Redis/);
      expect(out).toContain("✓ token accepted");
      expect(code).toBe(1);
    } finally {
      await redis.start();
    }
  });

  it("names a refused token and a bot that is no administrator of the experts' chat", async () => {
    const { out: wrongToken } = await doctor({
      ...env,
      BOT_TOKEN: "123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    });
    expect(wrongToken).toContain(
      "✗ the token was refused by Telegram (401 Unauthorized) — fix: copy the token again from @BotFather",
    );
    const someone = sim.user({ first_name: "群主" });
    const plain = sim.group({ title: "普通群", type: "supergroup", admins: [someone] });
    sim.addBot(plain, { by: someone, asAdmin: false });
    const { out } = await doctor({ ...env, EXPERTS_CHAT_ID: String(plain.id) });
    expect(out).toMatch(
      /✗ the experts' chat -?\d+ is reachable, but the bot is member there — fix: make the bot an administrator/,
    );
  });

  it("stops at a configuration error with the variable's name", async () => {
    const { code, out } = await doctor({ ...env, DEFAULT_LOCALE: "fr" });
    expect(out.trim().split("\n")[0]).toMatch(/^✗ configuration: DEFAULT_LOCALE: "fr" is not supported/);
    expect(code).toBe(1);
  });
});
