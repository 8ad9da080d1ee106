import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { MEMBER_COMMANDS_PER_MINUTE, MEMBER_PRESSES_PER_MINUTE } from "../../src/floods/index.js";
import { groupKey } from "../../src/shared/keys.js";
import { startStage, type Stage } from "../support/scene.js";
import type { SimChat, SimMessage, SimUser } from "../../tools/simulator/index.js";

/** The real bot against a simulator that enforces Telegram's limits (20 messages a minute per group). */
let stage: Stage;
let redis: Redis;
let admin: SimUser;
let member: SimUser;
let spammer: SimUser;
let group: SimChat;

const WAIT = { timeout: 20_000 };
const text = (m: SimMessage) => m.text ?? m.caption ?? "";
const isLesson = (m: SimMessage) => Boolean(m.reply_markup?.inline_keyboard?.length) && text(m).includes("选种");

beforeAll(async () => {
  stage = await startStage({ limits: { perSecond: 30, perGroupPerMinute: 20 } });
  redis = new Redis(stage.redis.url);
  admin = stage.sim.user({ first_name: "王书记" });
  member = stage.sim.user({ first_name: "李明" });
  spammer = stage.sim.user({ first_name: "刷屏的人" });
  group = stage.sim.group({ title: "红星村学习群", admins: [admin], members: [member, spammer] });
  stage.sim.addBot(group, { by: admin, asAdmin: true });
  await stage.sim.waitForBotMessage(group, (m) => text(m).includes("三学助手"), WAIT);
}, 60_000);

afterAll(async () => {
  redis?.disconnect();
  await stage?.close();
});

describe("floods: one member cannot spend the group's 20 messages a minute", () => {
  it("40 commands from one member do not delay a pushed lesson, and get one slow-down reply", async () => {
    const before = stage.sim.messages(group).at(-1);
    for (let i = 0; i < 40; i++) await stage.sim.send(spammer, group, "/top");
    const pushedAt = Date.now();
    await stage.sim.send(admin, group, "/push technology");
    await stage.sim.waitForBotMessage(group, isLesson, { after: before, timeout: 30_000 });
    // Without limits the 40 answers fill the window and the lesson waits out Telegram's 429 (a minute).
    expect(Date.now() - pushedAt).toBeLessThan(15_000);
    const after = stage.sim.botMessages(group).filter((m) => m.message_id > (before?.message_id ?? 0));
    expect(after.filter((m) => text(m).includes("排行榜"))).toHaveLength(MEMBER_COMMANDS_PER_MINUTE);
    expect(after.filter((m) => text(m).includes("发命令太快"))).toHaveLength(1);
  }, 60_000);

  it("an organiser's commands are not limited (their replies still take the group's window)", async () => {
    const own = stage.sim.group({ title: "西岭村学习群", admins: [admin], members: [member] });
    stage.sim.addBot(own, { by: admin, asAdmin: true });
    await stage.sim.waitForBotMessage(own, (m) => text(m).includes("三学助手"), WAIT);
    const n = MEMBER_COMMANDS_PER_MINUTE + 2;
    for (let i = 0; i < n; i++) await stage.sim.send(admin, own, "/top");
    await stage.sim.waitFor(() => stage.sim.botMessages(own).filter((m) => text(m).includes("排行榜")).length === n || undefined, WAIT);
    expect(stage.sim.botMessages(own).some((m) => text(m).includes("发命令太快"))).toBe(false);
  }, 60_000);

  it("a flood of presses gets a toast for every press, a slow-down toast past the limit, and no message", async () => {
    const pressed = stage.sim.group({ title: "东街社区学习群", admins: [admin], members: [member] });
    stage.sim.addBot(pressed, { by: admin, asAdmin: true });
    await stage.sim.waitForBotMessage(pressed, (m) => text(m).includes("三学助手"), WAIT);
    const before = stage.sim.messages(pressed).at(-1);
    await stage.sim.send(admin, pressed, "/push technology");
    const lesson = await stage.sim.waitForBotMessage(pressed, isLesson, { after: before, ...WAIT });
    const messagesBefore = stage.sim.botMessages(pressed).length;
    const toasts: string[] = [];
    for (let i = 0; i < MEMBER_PRESSES_PER_MINUTE + 10; i++) toasts.push((await stage.sim.press(member, lesson, "已学习 ✓"))?.text ?? "");
    expect(toasts.every((t) => t.length > 0)).toBe(true);
    expect(toasts.slice(0, MEMBER_PRESSES_PER_MINUTE).some((t) => t.includes("点得太快"))).toBe(false);
    expect(toasts.slice(MEMBER_PRESSES_PER_MINUTE).every((t) => t.includes("点得太快"))).toBe(true);
    expect(stage.sim.botMessages(pressed).length).toBe(messagesBefore);
  }, 60_000);

  it("sign-in presses pay the flood window in the sign-in's own script: slow-down past the limit, signed in once, on the roster", async () => {
    const quiet = stage.sim.user({ first_name: "没说过话的" });
    const chat = stage.sim.group({ title: "西岭村学习群", admins: [admin], members: [member, quiet] });
    stage.sim.addBot(chat, { by: admin, asAdmin: true });
    await stage.sim.waitForBotMessage(chat, (m) => text(m).includes("三学助手"), WAIT);
    const before = stage.sim.messages(chat).at(-1);
    await stage.sim.send(admin, chat, "/open_signin 30 晚课");
    const signin = await stage.sim.waitForBotMessage(chat, (m) => Boolean(m.reply_markup?.inline_keyboard?.length), { after: before, ...WAIT });
    const toasts: string[] = [];
    for (let i = 0; i < MEMBER_PRESSES_PER_MINUTE + 5; i++) toasts.push((await stage.sim.press(member, signin, "签到 ✋"))?.text ?? "");
    expect(toasts[0]).toMatch(/^签到成功/);
    expect(toasts.slice(1, MEMBER_PRESSES_PER_MINUTE).every((t) => t.includes("已经签到"))).toBe(true);
    expect(toasts.slice(MEMBER_PRESSES_PER_MINUTE).every((t) => t.includes("点得太快"))).toBe(true);
    // The toll's roster touch: the member is on the roster, with a name; their window holds the presses let through.
    expect(await redis.zscore(groupKey(chat.id, "roster"), String(member.id))).not.toBeNull();
    expect(await redis.hget(groupKey(chat.id, "names"), String(member.id))).toBeTruthy();
    expect(await redis.zcard(groupKey(chat.id, "flood", "press", "m", member.id))).toBe(MEMBER_PRESSES_PER_MINUTE);
    const all = await redis.hgetall(groupKey(chat.id, "all"));
    expect(Object.entries(all).filter(([k]) => k.endsWith(":signins")).reduce((n, [, v]) => n + Number(v), 0)).toBe(1);

    // An organiser is not limited; a forged sign-in press is answered and still takes its place in the window.
    const organiser: string[] = [];
    for (let i = 0; i < MEMBER_PRESSES_PER_MINUTE + 3; i++) organiser.push((await stage.sim.press(admin, signin, "签到 ✋"))?.text ?? "");
    expect(organiser.some((t) => t.includes("点得太快"))).toBe(false);
    expect(organiser.at(-1)).toContain("已经签到");
    expect(await redis.zscore(groupKey(chat.id, "roster"), String(quiet.id))).toBeNull();
    const forged = await stage.sim.pressForged(quiet, signin, "si:x9");
    expect(forged?.text).toBeTruthy();
    // Paid after its answer went out.
    await vi.waitFor(async () => {
      expect(await redis.zcard(groupKey(chat.id, "flood", "press", "m", quiet.id))).toBe(1);
      expect(await redis.zscore(groupKey(chat.id, "roster"), String(quiet.id))).not.toBeNull();
    }, WAIT);
  }, 90_000);

  it("every bot message in a group, replies included, counts once in the group's window", async () => {
    const other = stage.sim.group({ title: "青山村学习群", admins: [admin], members: [member] });
    stage.sim.addBot(other, { by: admin, asAdmin: true });
    await stage.sim.waitForBotMessage(other, (m) => text(m).includes("三学助手"), WAIT);
    let before = stage.sim.messages(other).at(-1);
    await stage.sim.send(admin, other, "/push technology");
    await stage.sim.waitForBotMessage(other, isLesson, { after: before, ...WAIT });
    before = stage.sim.messages(other).at(-1);
    await stage.sim.send(member, other, "/top");
    await stage.sim.waitForBotMessage(other, (m) => text(m).includes("排行榜"), { after: before, ...WAIT });
    const sent = stage.sim.botMessages(other).length;
    expect(sent).toBeGreaterThanOrEqual(3);
    expect(await redis.zcard(groupKey(other.id, "outbox", "pace"))).toBe(sent);
  }, 60_000);
});
