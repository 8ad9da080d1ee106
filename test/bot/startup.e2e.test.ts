import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimulator, type Simulator } from "../../tools/simulator/index.js";
import { startBot } from "../support/bot-process.js";
import { startRedis, type TestRedis } from "../support/redis-server.js";
import { FIXTURE_CONTENT } from "../support/scene.js";

let sim: Simulator;
let redis: TestRedis;
const dirs: string[] = [];

function contentCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "sanxue-content-"));
  dirs.push(dir);
  cpSync(FIXTURE_CONTENT, dir, { recursive: true });
  return dir;
}

beforeAll(async () => {
  sim = await createSimulator({ limits: false });
  redis = await startRedis();
});
afterAll(async () => {
  await sim?.close();
  await redis?.destroy();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("start-up", () => {
  it("bad content stops start-up naming the file, the field and the fix, without a stack trace", async () => {
    const dir = contentCopy();
    writeFileSync(
      join(dir, "lessons/technology/03-broken.md"),
      "---\nid: technology-03\ntrack: technology\ntitle: 坏课\norder: 3\nquiz:\n  - question: 几?\n    options: [a, b]\n    answer: 5\n---\n正文\n",
    );
    const bot = await startBot({ BOT_TOKEN: sim.token, TELEGRAM_API_ROOT: sim.apiRoot, REDIS_URL: redis.url, CONTENT_DIR: dir }, { waitReady: false });
    expect(await bot.exited).toBe(1);
    const out = bot.logs.join("\n");
    expect(out).toContain("lessons/technology/03-broken.md");
    expect(out).toContain("quiz.0.answer");
    expect(out).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });

  it("a wrong variable stops start-up with one line naming it", async () => {
    const bot = await startBot({ BOT_TOKEN: sim.token, TELEGRAM_API_ROOT: sim.apiRoot, REDIS_URL: redis.url, CONTENT_DIR: FIXTURE_CONTENT, DEFAULT_TIMEZONE: "Mars/Olympus" }, { waitReady: false });
    expect(await bot.exited).toBe(1);
    expect(bot.logs.length).toBe(1);
    expect(bot.logs[0]).toContain("DEFAULT_TIMEZONE");
  });

  it("never logs the token, registers menus per scope, and pushes on a real cron tick", async () => {
    const dir = contentCopy();
    // every 5 seconds: the real scheduler tick and push without anyone asking
    writeFileSync(join(dir, "schedule.yaml"), 'lessons:\n  - { track: policy, cron: "*/5 * * * * *" }\n');
    const county = sim.user({ first_name: "县组织部" });
    await sim.startPrivate(county);
    const bot = await startBot({
      BOT_TOKEN: sim.token,
      TELEGRAM_API_ROOT: sim.apiRoot,
      REDIS_URL: redis.url,
      CONTENT_DIR: dir,
      LOG_LEVEL: "debug",
      ORGANIZER_IDS: String(county.id),
    });
    const admin = sim.user({ first_name: "管理员" });
    const group = sim.group({ title: "定时村", admins: [admin] });
    sim.addBot(group, { by: admin, asAdmin: true });
    const lesson = await sim.waitForBotMessage(group, (m) => (m.text ?? "").includes("乡村振兴"), { timeout: 15_000 });
    expect(lesson.reply_markup?.inline_keyboard.flat().length).toBe(2);
    await sim.waitFor(() => sim.commands({ type: "all_chat_administrators" }).some((c) => c.command === "push"));
    expect(sim.commands({ type: "all_group_chats" }).some((c) => c.command === "push")).toBe(false);
    // county commands only in the county organiser's own menu
    await sim.waitFor(() => sim.commands({ type: "chat", chat_id: county.id }).some((c) => c.command === "report"));
    expect(sim.commands({ type: "all_private_chats" }).some((c) => c.command === "report")).toBe(false);
    expect(await bot.stop()).toBe(0);
    const secret = sim.token.split(":")[1] ?? "";
    expect(bot.logs.length).toBeGreaterThan(3);
    expect(bot.logs.join("\n")).not.toContain(secret);
    for (const line of bot.logs) expect(() => JSON.parse(line)).not.toThrow();
  });
});
