import { mkdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import { webAppLaunchUrl, type SimUser } from "../../tools/simulator/index.js";
import { waitFor } from "../support/wait-for.js";
import { playConsoleWeek, type ConsoleWeek } from "./scripted-week.js";

const ARTIFACTS = "test-artifacts/console";
const DARK = { bg_color: "#17212b", text_color: "#f5f5f5", hint_color: "#708499", button_color: "#5288c1", button_text_color: "#ffffff", secondary_bg_color: "#232e3c" };
const LIGHT = { bg_color: "#ffffff", text_color: "#000000", hint_color: "#999999", button_color: "#2481cc", button_text_color: "#ffffff", secondary_bg_color: "#f1f1f1" };
let w: ConsoleWeek;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  [w, browser] = await Promise.all([playConsoleWeek(), chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] })]);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await w?.stage.close();
});

/** Opens the console as Telegram would for `user`: a 360×740 phone, zh, initData in the URL's hash. */
async function open(user: SimUser | string, opts: { startParam?: string; theme?: Record<string, string> } = {}): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 360, height: 740 }, locale: "zh-CN", deviceScaleFactor: 2 });
  const initData = typeof user === "string" ? user : w.stage.sim.webAppInitData(user, { startParam: opts.startParam });
  await page.goto(webAppLaunchUrl(`${w.base}/console/`, initData, opts.theme ?? LIGHT));
  return page;
}

const loaded = (page: Page) => page.waitForSelector("[data-testid=title]:not(:empty)").then(() => page.waitForSelector("[data-testid=loading]", { state: "detached" }));

describe("the console page in headless Chromium", () => {
  it("county view: every group ranked, the indices /report gives, a group with no activity flagged, filtered by town", async () => {
    await w.ask(w.admin, w.group, "/settings town 红星镇", (m) => Boolean(m.text?.includes("红星镇")));
    const page = await open(w.county);
    await loaded(page);
    await page.waitForSelector("tr[data-group]");
    const dm = w.stage.sim.privateChat(w.county);
    await w.stage.sim.startPrivate(w.county);
    await w.stage.sim.waitForBotMessage(dm);
    const report = (await w.ask(w.county, dm, "/report", (m) => Boolean(m.text?.includes("参与")))).text ?? "";
    const rows = await page.$$eval("tr[data-group]", (trs) => trs.map((tr) => ({ title: tr.querySelector(".title")?.textContent, index: tr.querySelector("[data-testid=index]")?.textContent })));
    expect(rows.map((r) => r.title)).toEqual(["红星村学习群", "青山社区"]);
    for (const r of rows) expect(report).toMatch(new RegExp(`\\b${r.index}\\s+[+-]?\\d+\\s+\\d+\\s+${r.title}`));
    expect(report).toMatch(/红星镇：1 个群 · 指数 \d+/);
    expect(await page.textContent("[data-testid=county-inactive]")).toBe("1");
    expect(await page.textContent("h1")).toBe("全县");
    expect(await page.textContent(`tr[data-group="${w.group.id}"] [data-testid=town]`)).toBe("红星镇");
    await page.screenshot({ path: `${ARTIFACTS}/county-zh.png`, fullPage: true });
    // The town filter lists the towns organisers set, and groups without one under their own choice.
    const titles = () => page.$$eval("tr[data-group] .title", (els) => els.map((e) => e.textContent));
    await page.selectOption("[data-testid=town-filter]", { label: "红星镇" });
    expect(await titles()).toEqual(["红星村学习群"]);
    await page.selectOption("[data-testid=town-filter]", { label: "未设乡镇" });
    expect(await titles()).toEqual(["青山社区"]);
    await page.selectOption("[data-testid=town-filter]", { label: "全部乡镇" });
    expect(await titles()).toEqual(["红星村学习群", "青山社区"]);
    await page.close();
  });

  it("group view: the numbers /stats gives, a <script> name as text, the member's timeline on a tap", async () => {
    const page = await open(w.admin);
    await loaded(page);
    const dm = w.stage.sim.privateChat(w.admin);
    const before = w.stage.sim.messages(dm).at(-1);
    await w.ask(w.admin, w.group, "/stats");
    const stats = (await w.stage.sim.waitForBotMessage(dm, (m) => Boolean(m.text?.includes("最活跃成员")), { after: before, timeout: 15_000 })).text ?? "";
    expect(stats).toContain(`成员 ${await page.textContent("[data-testid=members]")} 人`);
    const lessons = await page.$$eval("[data-testid=lesson]", (lis) => lis.map((li) => [li.querySelector(".title")?.textContent ?? "", li.querySelector(".num")?.textContent ?? ""]));
    expect(lessons).toHaveLength(2);
    for (const [title, num] of lessons) {
      const [share, studied] = (num ?? "").split(" · ");
      expect(stats).toMatch(new RegExp(`${share}\\s+${studied}\\s+${(title ?? "").slice(0, 2)}`));
    }
    // The name is shown as its characters, and no element was made of it.
    const cell = page.locator(`tr[data-member="${w.zhang.id}"] td`).first();
    expect(await cell.textContent()).toBe("张<script>三");
    expect(await page.$$eval("main script", (s) => s.length)).toBe(0);
    await page.screenshot({ path: `${ARTIFACTS}/group-zh.png`, fullPage: true });
    // Nothing wider than the screen, even when the screen narrows after the charts were drawn.
    const overflow = () => page.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth");
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 320, height: 740 });
    await waitFor(async () => (await overflow()) <= 0, { timeout: 5_000, message: "the charts follow the narrower screen" });
    await page.setViewportSize({ width: 360, height: 740 });
    await page.click(`tr[data-member="${w.li.id}"]`);
    await page.waitForSelector("[data-testid=member-group]");
    expect(await page.textContent("h1")).toBe("李明");
    expect(await page.textContent("[data-testid=member-group]")).toBe("红星村学习群");
    expect(await page.$$eval(".timeline li", (lis) => lis.map((li) => li.getAttribute("data-kind")))).toEqual(["lesson", "lesson"]);
    await page.screenshot({ path: `${ARTIFACTS}/member-zh.png`, fullPage: true });
    await page.close();
  });

  it("an organiser's action works from the page: open a sign-in, it appears in the group", async () => {
    const page = await open(w.admin);
    await loaded(page);
    const before = w.stage.sim.messages(w.group).at(-1);
    await page.click("[data-action=signin-open]");
    await page.waitForSelector("[data-testid=action-status]:text-is('已完成')");
    await w.stage.sim.waitForBotMessage(w.group, (m) => Boolean(m.reply_markup?.inline_keyboard?.length), { after: before });
    // The page reloads the group after an action: the new session is listed, present 0 of the roster.
    await page.waitForSelector("[data-testid=session]");
    await page.click("[data-action=signin-close]");
    // Closed by the page's press, as the group view's sessions say.
    const closed = async () => {
      const res = await fetch(`${w.base}/console/api/group/${w.group.id}`, { headers: { authorization: `tma ${w.stage.sim.webAppInitData(w.admin)}` } });
      const view = (await res.json()) as { stats: { signins: { sessions?: { closedAt?: number }[] } } };
      return view.stats.signins.sessions?.at(-1)?.closedAt !== undefined;
    };
    await waitFor(closed, { timeout: 10_000 });
    await page.close();
  });

  it("takes Telegram's theme colours (dark)", async () => {
    const page = await open(w.admin, { theme: DARK });
    await loaded(page);
    expect(await page.evaluate("getComputedStyle(document.body).backgroundColor")).toBe("rgb(23, 33, 43)");
    expect(await page.evaluate("getComputedStyle(document.querySelector('h1')).color")).toBe("rgb(245, 245, 245)");
    await page.screenshot({ path: `${ARTIFACTS}/group-dark-zh.png`, fullPage: true });
    await page.close();
  });

  it("a member sees only their own record", async () => {
    const page = await open(w.li);
    await loaded(page);
    await page.waitForSelector("[data-testid=member-group]");
    expect(await page.textContent("h1")).toBe("李明");
    expect(await page.$$("[data-action]")).toHaveLength(0);
    await page.close();
  });

  it("forged initData shows the way back to the bot, not data", async () => {
    const forged = new URLSearchParams(w.stage.sim.webAppInitData(w.li));
    forged.set("user", JSON.stringify({ id: w.county.id, first_name: "县委组织部" }));
    const page = await open(forged.toString());
    await page.waitForSelector("[data-testid=error]");
    expect(await page.textContent("[data-testid=error]")).toContain("菜单按钮");
    await page.close();
  });
});
