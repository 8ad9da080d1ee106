import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStage, type Stage } from "../support/scene.js";
import type { SimChat, SimMessage, SimUser } from "../../tools/simulator/index.js";

/*
 * Redis restarting under a polling bot (stopped and started again on the same port, append-only file
 * on): updates that arrive meanwhile wait in the bot's fetcher, unconfirmed, and are handled once
 * Redis is back. The simulator waits for press answers as long as Telegram does (15 s).
 */
let stage: Stage;
let admin: SimUser;
let admin2: SimUser;
let members: SimUser[];
let group: SimChat;
let lesson: SimMessage;

const hasButtons = (m: SimMessage) => Boolean(m.reply_markup?.inline_keyboard?.length);
const WAITING = /"msg":"could not journal a fetched update; waiting for Redis"/;

beforeAll(async () => {
  stage = await startStage({ simulator: { pressTimeoutMs: 15_000 } });
  admin = stage.sim.user({ first_name: "管理员" });
  admin2 = stage.sim.user({ first_name: "副管理员" });
  members = ["甲", "乙", "丙"].map((n) => stage.sim.user({ first_name: n }));
  group = stage.sim.group({ title: "停电村", admins: [admin, admin2], members });
  stage.sim.addBot(group, { by: admin, asAdmin: true });
  const greeting = await stage.sim.waitForBotMessage(group);
  await stage.sim.send(admin, group, "/push technology");
  lesson = await stage.sim.waitForBotMessage(group, hasButtons, { after: greeting, timeout: 15_000 });
}, 60_000);

afterAll(async () => {
  await stage?.close();
});

/**
 * Call before acting; the returned wait resolves once the bot logged (again) that it holds an update
 * for Redis, so Redis comes back only after the bot met the outage. A bot that does not journal never
 * logs it: then the wait ends after 10 s and the test's assertions tell what it did instead.
 */
function botWaitsForRedis(): () => Promise<unknown> {
  const count = () => stage.bot.logs.filter((l) => WAITING.test(l)).length;
  const before = count();
  return () => stage.sim.waitFor(() => count() > before, { timeout: 10_000 }).catch(() => undefined);
}

describe("Redis restarts under the bot", () => {
  it("/stats sent while Redis is down is answered once Redis is back", { timeout: 90_000 }, async () => {
    await stage.redis.stop({ hard: true });
    const after = stage.sim.messages(group).at(-1);
    const held = botWaitsForRedis();
    await stage.sim.send(admin, group, "/stats");
    await held();
    await stage.redis.start();
    const stats = await stage.sim.waitForBotMessage(group, () => true, { after, timeout: 40_000 });
    expect(stats.text).toContain("本周推送 1 节课");
  });

  it("a Studied press during a short outage is answered when Redis is back and counted once", { timeout: 90_000 }, async () => {
    const a = members[0] as SimUser;
    await stage.redis.stop({ hard: true });
    const held = botWaitsForRedis();
    const answer = stage.sim.press(a, lesson, "已学习 ✓");
    await held();
    await stage.redis.start();
    expect((await answer)?.text).toContain("已记录");
    expect((await stage.sim.press(a, lesson, "已学习 ✓"))?.text).toContain("已经记录过");
    // The ledger counted the member once: one studied the lesson (of the two on the roster), one activity.
    // Names reach the organiser only privately (PRODUCT.md, "Promises"): the admin opens the private chat first.
    const dm = stage.sim.privateChat(admin);
    await stage.sim.startPrivate(admin);
    await stage.sim.waitForBotMessage(dm, () => true, { timeout: 20_000 });
    const after = stage.sim.messages(group).at(-1);
    const dmAfter = stage.sim.messages(dm).at(-1);
    await stage.sim.send(admin, group, "/stats");
    const stats = await stage.sim.waitForBotMessage(group, () => true, { after, timeout: 20_000 });
    expect(stats.text).toMatch(/^\s*50%\s+1\s+选种$/m);
    const full = await stage.sim.waitForBotMessage(dm, (m) => Boolean(m.text?.includes("最活跃成员")), { after: dmAfter, timeout: 20_000 });
    expect(full.text).toMatch(/^1\.\s+1\s+甲$/m);
  });

  it("a handler that meets the outage half-way waits for Redis instead of failing", { timeout: 90_000 }, async () => {
    // Hold the organiser check (getChatMember) so that Redis goes down while /stats is being handled.
    const fault = { method: "getChatMember", times: 1, kind: "timeout" as const, holdMs: 500 };
    stage.sim.faults.push(fault);
    const after = stage.sim.messages(group).at(-1);
    await stage.sim.send(admin2, group, "/stats");
    await stage.sim.waitFor(() => fault.times === 0, { timeout: 15_000, message: "the bot never checked the organiser" });
    await stage.redis.stop({ hard: true });
    const checks = stage.sim.calls.filter((c) => c.method === "getChatMember").length;
    // auto-retry asks again after a few seconds; the handler goes on to read the week from Redis, which is down.
    await stage.sim.waitFor(() => stage.sim.calls.filter((c) => c.method === "getChatMember").length > checks, { timeout: 20_000 });
    await stage.redis.start();
    const stats = await stage.sim.waitForBotMessage(group, () => true, { after, timeout: 40_000 });
    expect(stats.text).toContain("本周推送 1 节课");
  });

  it("a press Redis cannot store in time gets 'busy' within 15 s and is not applied later", { timeout: 90_000 }, async () => {
    const b = members[1] as SimUser;
    await stage.redis.stop({ hard: true });
    const started = Date.now();
    const busy = await stage.sim.press(b, lesson, "已学习 ✓");
    expect(busy?.text).toBe("系统忙，请稍后再试。");
    expect(Date.now() - started).toBeLessThan(15_000);
    await stage.redis.start();
    // Pressing again records it now: the first press was not stored behind the member's back.
    let again = "";
    for (let i = 0; i < 20 && !again.includes("已"); i++) again = (await stage.sim.press(b, lesson, "已学习 ✓"))?.text ?? "";
    expect(again).toContain("已记录");
  });
});
