import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimChat, SimUser, Simulator } from "../../tools/simulator/index.js";
import { manualClock, tickUntilIdle, type InProcess } from "../support/in-process.js";
import { freePort } from "../support/redis-server.js";
import { startAppStage, type AppStage } from "../support/stage.js";
import { waitFor } from "../support/wait-for.js";

// Tuesday 2026-12-01 20:00 in Shanghai; the Monday report of 2026-W49 is due Monday 2026-12-07 08:00 there (00:00 UTC).
const T0 = Date.parse("2026-12-01T12:00:00Z");
const MONDAY_8 = Date.parse("2026-12-07T00:00:00Z");
const APP = "sanxue_console";

let stage: AppStage;
let sim: Simulator;
let app: InProcess;
let base: string;
const clock = manualClock(T0);
let admin: SimUser;
let group: SimChat;

beforeAll(async () => {
  stage = await startAppStage();
  sim = stage.sim;
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  app = await stage.app({ clock, run: { updates: true }, env: { PUBLIC_URL: base, PORT: String(port), CONSOLE_APP_NAME: APP } });
  admin = sim.user({ first_name: "王书记" });
  const li = sim.user({ first_name: "李明" });
  group = sim.group({ title: "红星村学习群", type: "supergroup", admins: [admin], members: [li] });
  sim.addBot(group, { by: admin, asAdmin: true });
  await sim.waitForBotMessage(group, (m) => (m.text ?? "").includes("三学助手"));
  await sim.startPrivate(admin);
  await waitFor(async () => (await app.services.groups.user(admin.id))?.privateOk, { message: "the organiser started the bot" });
}, 60_000);

afterAll(async () => {
  await app?.close();
  await stage?.close();
});

describe("the console's buttons", () => {
  it("the Monday report, sent by its job through the outbox, carries the web_app button on the group", async () => {
    const dm = sim.privateChat(admin);
    const before = sim.messages(dm).at(-1);
    clock.set(MONDAY_8 + 1000);
    await tickUntilIdle(app.services);
    const report = await sim.waitForBotMessage(dm, (m) => Boolean(m.text?.includes("2026-W49")), { after: before });
    expect(report.reply_markup?.inline_keyboard[0]?.[0]).toEqual({ text: "📊 打开管理台", web_app: { url: `${base}/console/?g=${group.id}` } });
  });

  it("in a group, with the Mini App registered (CONSOLE_APP_NAME), /stats links straight into it on that group", async () => {
    const before = sim.messages(group).at(-1);
    await sim.send(admin, group, "/stats");
    const reply = await sim.waitForBotMessage(group, (m) => Boolean(m.text?.includes("成员")), { after: before });
    const button = reply.reply_markup?.inline_keyboard.flat().find((b) => "url" in b);
    const bot = (await app.app.bot.api.getMe()).username;
    expect(button).toEqual({ text: "📊 打开管理台", url: `https://t.me/${bot}/${APP}?startapp=g${group.id}` });
  });
});
