import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createActivityRepository, recordActivity } from "../../src/activity/index.js";
import { globalKey, groupKey } from "../../src/shared/keys.js";
import type { SimChat, SimMessage, SimUser } from "../../tools/simulator/index.js";
import { parseCsv } from "../reports/csv.js";
import { startStage, type Stage } from "../support/scene.js";
import { waitFor } from "../support/wait-for.js";

let stage: Stage;
let redis: Redis;
let admin: SimUser;
let li: SimUser;
let zhang: SimUser;
let group: SimChat;
let supergroup: SimChat;

const withButtons = (m: SimMessage) => Boolean(m.reply_markup?.inline_keyboard?.length);

async function ask(user: SimUser, chat: SimChat, text: string, match: (m: SimMessage) => boolean = () => true): Promise<SimMessage> {
  const before = stage.sim.messages(chat).at(-1);
  await stage.sim.send(user, chat, text);
  return stage.sim.waitForBotMessage(chat, match, { after: before, timeout: 20_000 });
}

beforeAll(async () => {
  stage = await startStage();
  redis = new Redis(stage.redis.url, { protocol: 2 });
  admin = stage.sim.user({ first_name: "王书记" });
  li = stage.sim.user({ first_name: "李明" });
  zhang = stage.sim.user({ first_name: "张三" });
  group = stage.sim.group({ title: "红星村学习群", type: "group", admins: [admin], members: [li, zhang] });
  stage.sim.addBot(group, { by: admin, asAdmin: true });
  await stage.sim.waitForBotMessage(group, (m) => (m.text ?? "").includes("三学助手"), { timeout: 20_000 });
  // This week in the chat: a lesson, studied by both; last week's ledger as the bot would have written it.
  const seeds = await ask(admin, group, "/push technology", withButtons);
  expect(seeds.text).toContain("选种");
  expect((await stage.sim.press(li, seeds, "已学习 ✓"))?.text).toContain("已记录");
  expect((await stage.sim.press(zhang, seeds, "已学习 ✓"))?.text).toContain("已记录");
  await recordActivity(createActivityRepository(redis), {
    groupId: group.id, timeZone: "Asia/Shanghai", userId: li.id, at: Date.now() - 7 * 86_400_000, ref: "last-week", increments: { lessons_studied: 1 },
  });
  await stage.sim.startPrivate(admin);
  await stage.sim.waitForBotMessage(stage.sim.privateChat(admin), () => true, { timeout: 20_000 });

  supergroup = stage.sim.upgradeToSupergroup(group, { by: admin });
  // The move is done when the old id redirects and its keys are gone.
  const moved = async () =>
    (await redis.hget(globalKey("groups", "moved"), String(group.id))) !== null && (await redis.keys(`${groupKey(group.id)}:*`)).length === 0;
  await waitFor(moved, { timeout: 20_000, interval: 50, message: "the group moved to the supergroup" });
}, 120_000);

afterAll(async () => {
  await redis?.quit();
  await stage?.close();
});

describe("a group upgraded to a supergroup, end to end", () => {
  it("moves once the service messages arrive: the old id is gone from the schedule and registers nothing", async () => {
    expect(await redis.hget(globalKey("groups", "moved"), String(group.id))).toBe(String(supergroup.id));
    const active = (await redis.smembers(globalKey("groups", "active"))).map(Number);
    expect(active).toContain(supergroup.id);
    expect(active).not.toContain(group.id);
    expect(await redis.keys(`${groupKey(group.id)}:*`)).toEqual([]);
  });

  it("/stats in the supergroup shows this week's and last week's activity from before the upgrade", async () => {
    // The counts come in the group; the names only privately, to the organiser (PRODUCT.md, "Promises").
    const dm = stage.sim.privateChat(admin);
    let before = stage.sim.messages(dm).at(-1);
    const now = await ask(admin, supergroup, "/stats");
    expect(now.text).toContain("成员 3 人");
    expect(now.text).toContain("本周推送 1 节课");
    expect(now.text).toMatch(/选种/);
    const full = await stage.sim.waitForBotMessage(dm, (m) => Boolean(m.text?.includes("最活跃成员")), { after: before, timeout: 20_000 });
    expect(full.text).toMatch(/李明/);
    before = stage.sim.messages(dm).at(-1);
    await ask(admin, supergroup, "/stats last");
    const fullLast = await stage.sim.waitForBotMessage(dm, (m) => Boolean(m.text?.includes("最活跃成员")), { after: before, timeout: 20_000 });
    expect(fullLast.text).toMatch(/1\.\s+1\s+李明/);
  });

  it("/export in the supergroup counts the weeks before the upgrade", async () => {
    const dm = stage.sim.privateChat(admin);
    const before = stage.sim.messages(dm).at(-1)?.message_id ?? 0;
    await ask(admin, supergroup, "/export 2", (m) => !m.document);
    const csv = await stage.sim.waitForBotMessage(dm, (m) => Boolean(m.document?.file_name?.endsWith(".csv")), { after: before, timeout: 20_000 });
    const rows = parseCsv(csv.document!.bytes);
    const byId = new Map(rows.slice(1).map((r) => [Number(r[0]), r]));
    expect(byId.get(li.id)?.slice(1, 3)).toEqual(["李明", "2"]);
    expect(byId.get(zhang.id)?.slice(1, 3)).toEqual(["张三", "1"]);
  });

  it("the next lesson goes to the supergroup and continues the track; nothing more reaches the old id", async () => {
    const oldChat = stage.sim.botMessages(group).length;
    const next = await ask(admin, supergroup, "/push technology", withButtons);
    expect(next.text).toContain("滴灌");
    expect(stage.sim.botMessages(group)).toHaveLength(oldChat);
  });
});
