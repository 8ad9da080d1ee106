import type { Bot } from "grammy";
import { describe, expect, it } from "vitest";
import type { Simulator } from "../../tools/simulator/index.js";
import { simulatorEachTest } from "../support/simulator-each.js";
import { refusal } from "../support/refusal.js";

let sim: Simulator;
let bot: Bot;

simulatorEachTest((world) => ({ sim, bot } = world));

const app = (url: string) => ({ type: "web_app" as const, text: "管理台", web_app: { url } });

describe("the menu button (setChatMenuButton, getChatMenuButton)", () => {
  it("is the commands list until set; a private chat's own button wins over the default; default removes it", async () => {
    const li = sim.user({ first_name: "李明" });
    const wang = sim.user({ first_name: "王书记" });
    expect(await bot.api.getChatMenuButton({ chat_id: li.id })).toEqual({ type: "commands" });
    await bot.api.setChatMenuButton({ chat_id: li.id, menu_button: app("https://sanxue.example.org/console/") });
    expect(await bot.api.getChatMenuButton({ chat_id: li.id })).toEqual(app("https://sanxue.example.org/console/"));
    expect(await bot.api.getChatMenuButton({ chat_id: wang.id })).toEqual({ type: "commands" });
    await bot.api.setChatMenuButton({ menu_button: { type: "commands" } });
    await bot.api.setChatMenuButton({ chat_id: li.id, menu_button: { type: "default" } });
    expect(await bot.api.getChatMenuButton({ chat_id: li.id })).toEqual({ type: "commands" });
    expect(sim.menuButton(wang)).toEqual({ type: "commands" });
  });

  it("refuses a web_app button without HTTPS (loopback http aside) or without text, and a group chat", async () => {
    const li = sim.user({ first_name: "李明" });
    const group = sim.group({ title: "红星村学习群", admins: [li] });
    expect((await refusal(bot.api.setChatMenuButton({ chat_id: li.id, menu_button: app("http://sanxue.example.org/") }))).description).toContain("BUTTON_URL_INVALID");
    expect((await refusal(bot.api.setChatMenuButton({ chat_id: li.id, menu_button: { ...app("https://x.org/"), text: "" } }))).error_code).toBe(400);
    expect((await refusal(bot.api.setChatMenuButton({ chat_id: group.id, menu_button: app("https://x.org/") }))).error_code).toBe(400);
    await bot.api.setChatMenuButton({ chat_id: li.id, menu_button: app("http://127.0.0.1:8080/console/") });
    expect(sim.menuButton(li)).toMatchObject({ type: "web_app" });
  });
});

describe("web_app inline buttons", () => {
  it("are sent in a private chat and refused in a group (BUTTON_TYPE_INVALID), as Telegram does", async () => {
    const li = sim.user({ first_name: "李明" });
    const group = sim.group({ title: "红星村学习群", admins: [li] });
    sim.addBot(group, { by: li, asAdmin: true });
    await sim.startPrivate(li);
    const keyboard = { inline_keyboard: [[{ text: "📊", web_app: { url: "https://sanxue.example.org/console/" } }]] };
    const sent = await bot.api.sendMessage(li.id, "看板", { reply_markup: keyboard });
    expect(sent.reply_markup?.inline_keyboard[0]?.[0]).toMatchObject({ web_app: { url: "https://sanxue.example.org/console/" } });
    expect((await refusal(bot.api.sendMessage(group.id, "看板", { reply_markup: keyboard }))).description).toContain("BUTTON_TYPE_INVALID");
    const plain = { inline_keyboard: [[{ text: "📊", web_app: { url: "ftp://x.org/" } }]] };
    expect((await refusal(bot.api.sendMessage(li.id, "看板", { reply_markup: plain }))).description).toContain("BUTTON_URL_INVALID");
  });
});
