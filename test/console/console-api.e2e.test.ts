import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import type { Stage } from "../support/scene.js";
import { waitFor } from "../support/wait-for.js";
import type { SimChat, SimUser } from "../../tools/simulator/index.js";
import { playConsoleWeek, withButtons, type ConsoleWeek } from "./scripted-week.js";

let w: ConsoleWeek;
let stage: Stage;
let base: string;
let admin: SimUser;
let li: SimUser;
let zhang: SimUser;
let zhao: SimUser;
let county: SimUser;
let group: SimChat;
let other: SimChat;
const ask = (...args: Parameters<ConsoleWeek["ask"]>) => w.ask(...args);

/** A call as the page makes it: the Mini App's initData in the Authorization header. */
async function call(path: string, as: SimUser | string | undefined, init: { method?: string; body?: unknown } = {}) {
  const initData = typeof as === "string" ? as : as ? stage.sim.webAppInitData(as) : undefined;
  const res = await fetch(`${base}/console/api/${path}`, {
    method: init.method ?? "GET",
    headers: { ...(initData ? { authorization: `tma ${initData}` } : {}), ...(init.body ? { "content-type": "application/json" } : {}) },
    body: init.body ? JSON.stringify(init.body) : undefined,
  });
  const type = res.headers.get("content-type") ?? "";
  return { status: res.status, type, body: type.startsWith("application/json") ? ((await res.json()) as Record<string, any>) : undefined, res }; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON read by the assertions
}

beforeAll(async () => {
  w = await playConsoleWeek();
  ({ stage, base, admin, li, zhang, zhao, county, group, other } = w);
}, 90_000);

afterAll(async () => {
  await stage?.close();
});

describe("who may call the console's API", () => {
  it("missing, forged and expired initData get 401", async () => {
    expect((await call("me", undefined)).status).toBe(401);
    const forged = new URLSearchParams(stage.sim.webAppInitData(li));
    forged.set("user", JSON.stringify({ id: admin.id, first_name: "王书记" }));
    expect((await call("me", forged.toString())).status).toBe(401);
    const old = stage.sim.webAppInitData(admin, { authDate: Math.floor(Date.now() / 1000) - 2 * 86_400 });
    const r = await call(`group/${group.id}`, old);
    expect(r.status).toBe(401);
    expect(r.body?.error).toBe("expired");
  });

  it("decides the role on the server: county organiser, organiser of their group, member", async () => {
    expect((await call("me", county)).body).toMatchObject({ role: "county" });
    const me = (await call("me", admin)).body;
    expect(me).toMatchObject({ role: "organiser", organises: [{ id: group.id, title: "红星村学习群" }] });
    expect((await call("me", li)).body).toMatchObject({ role: "member", organises: [], memberOf: [{ id: group.id }] });
  });

  it("403 for a group the user does not administer, for the county view to a group organiser, for another member's record", async () => {
    expect((await call(`group/${other.id}`, admin)).status).toBe(403);
    expect((await call(`group/${group.id}`, li)).status).toBe(403);
    expect((await call("county", admin)).status).toBe(403);
    expect((await call(`group/${group.id}/member/${zhang.id}`, li)).status).toBe(403);
    expect((await call(`group/-100999/member/${li.id}`, li)).status).toBe(403);
  });
});

describe("the views read the same numbers as the commands", () => {
  it("the group view and /stats agree to the member for the same week", async () => {
    const dm = stage.sim.privateChat(admin);
    const before = stage.sim.messages(dm).at(-1);
    await ask(admin, group, "/stats");
    const full = await stage.sim.waitForBotMessage(dm, (m) => Boolean(m.text?.includes("最活跃成员")), { after: before, timeout: 15_000 });
    const view = (await call(`group/${group.id}`, admin)).body ?? {};
    const text = full.text ?? "";
    expect(text).toContain(`成员 ${view.stats.members} 人`);
    expect(text).toContain(`本周推送 ${view.stats.lessons.length} 节课`);
    for (const l of view.stats.lessons) expect(text).toMatch(new RegExp(`${Math.round(l.share * 100)}%\\s+${l.studied}\\s+${l.title.slice(0, 4)}`));
    // The most active members, in /stats' order, with their scores.
    view.stats.top.forEach((m: { name: string; score: number }, i: number) => expect(text).toMatch(new RegExp(`${i + 1}\\.\\s+${m.score}\\s+${m.name.replace(/[<>]/g, ".")}`)));
    expect(view.stats.top.map((m: { name: string }) => m.name)).toEqual(["李明", "张<script>三"]);
    expect(view.trend).toHaveLength(8);
    expect(view.trend.at(-1).studiedShare).toBeCloseTo(view.stats.participation.studied);
    const byName = new Map(view.members.map((m: { name: string }) => [m.name, m]));
    expect(byName.get("李明")).toMatchObject({ week: { lessons_studied: 2 }, inactive: false });
    expect(byName.get("赵四")).toMatchObject({ week: {}, inactive: false });
  });

  it("the county view ranks as /report does, with an 8-week trend per group", async () => {
    const view = (await call("county", county)).body ?? {};
    expect(view.groups.map((g: { title: string }) => g.title)).toEqual(["红星村学习群", "青山社区"]);
    const [first, second] = view.groups;
    expect(first.trend).toHaveLength(8);
    expect(first.trend.at(-1)).toBe(first.index);
    expect(second).toMatchObject({ index: 0, inactive: true });
    const dm = stage.sim.privateChat(county);
    await stage.sim.startPrivate(county);
    await stage.sim.waitForBotMessage(dm);
    const report = await ask(county, dm, "/report", (m) => Boolean(m.text?.includes("参与")));
    expect(report.text).toMatch(new RegExp(`${first.index}\\s+[+-]?\\d+\\s+${first.members}\\s+红星村学习群`));
  });

  it("a member sees their own timeline; an organiser sees any member's", async () => {
    const own = (await call(`group/${group.id}/member/${li.id}`, li)).body ?? {};
    expect(own.timeline.map((e: { kind: string }) => e.kind)).toEqual(["lesson", "lesson"]);
    const lessons = (await call(`group/${group.id}`, admin)).body?.stats.lessons as { title: string }[];
    expect(own.timeline.map((e: { about: string }) => e.about).sort()).toEqual(lessons.map((l) => l.title).sort());
    const byOrganiser = await call(`group/${group.id}/member/${zhang.id}`, admin);
    expect(byOrganiser.status).toBe(200);
    expect(byOrganiser.body?.name).toBe("张<script>三");
  });
});

describe("actions, with the commands' checks", () => {
  it("a member may not push, open or close a sign-in, remind or download", async () => {
    for (const action of ["push", "signin/open", "signin/close", "remind"])
      expect((await call(`group/${group.id}/${action}`, li, { method: "POST", body: {} })).status, action).toBe(403);
    expect((await call(`group/${group.id}/export.xlsx`, li)).status).toBe(403);
  });

  it("an organiser opens and closes a sign-in in the group", async () => {
    const opened = await call(`group/${group.id}/signin/open`, admin, { method: "POST", body: { minutes: 20, title: "周三学习会" } });
    expect(opened.status).toBe(200);
    await stage.sim.waitForBotMessage(group, (m) => Boolean(m.text?.includes("周三学习会")));
    expect((await call(`group/${group.id}/signin/open`, admin, { method: "POST", body: {} })).status).toBe(409);
    expect((await call(`group/${group.id}/signin/open`, admin, { method: "POST", body: { minutes: 5000 } })).body?.error).toBe("minutes");
    const closed = await call(`group/${group.id}/signin/close`, admin, { method: "POST", body: {} });
    expect(closed.body).toMatchObject({ result: "closed" });
    expect((await call(`group/${group.id}/signin/close`, admin, { method: "POST", body: {} })).status).toBe(409);
  });

  it("an organiser pushes the next lesson of a track; an unknown track is refused", async () => {
    expect((await call(`group/${group.id}/push`, admin, { method: "POST", body: { track: "cooking" } })).body?.error).toBe("unknown-track");
    const before = stage.sim.botMessages(group).filter(withButtons).length;
    const pushed = await call(`group/${group.id}/push`, admin, { method: "POST", body: { track: "policy" } });
    expect(pushed.body).toMatchObject({ result: "pushed" });
    expect(stage.sim.botMessages(group).filter(withButtons).length).toBeGreaterThan(before);
  });

  it("the reminder reaches, privately, only members who started the bot and have not studied the lesson", async () => {
    const seedsId = (await call(`group/${group.id}`, admin)).body?.stats.lessons[0].lessonId as string;
    await stage.sim.startPrivate(zhao);
    await stage.sim.startPrivate(li);
    await waitFor(async () => (await call("me", zhao)).status === 200);
    const r = await call(`group/${group.id}/remind`, admin, { method: "POST", body: { lessonId: seedsId } });
    // 赵四 started the bot and has not studied it; 李明 and 张三 studied it; the admin started it and has not.
    expect(r.body).toMatchObject({ result: "queued", reachable: 2 });
    await stage.sim.waitForBotMessage(stage.sim.privateChat(zhao), (m) => Boolean(m.text?.includes("提醒")), { timeout: 15_000 });
    expect(stage.sim.botMessages(stage.sim.privateChat(li)).some((m) => m.text?.includes("提醒"))).toBe(false);
  });

  it("an organiser downloads the group's XLSX, the county organiser the county's", async () => {
    const r = await call(`group/${group.id}/export.xlsx`, admin);
    expect(r.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await r.res.arrayBuffer());
    expect(book.worksheets.length).toBeGreaterThan(0);
    const c = await call("county/report.xlsx", county);
    expect(c.status).toBe(200);
    expect(c.res.headers.get("content-disposition")).toContain(".xlsx");
  });
});

describe("how the console opens", () => {
  it("a private chat's menu button opens the console, set when the person first writes to the bot", async () => {
    await waitFor(() => (stage.sim.menuButton(admin).type === "web_app" ? true : undefined));
    expect(stage.sim.menuButton(admin)).toEqual({ type: "web_app", text: "管理台", web_app: { url: `${base}/console/` } });
  });

  it("/stats in the group carries a link into the private chat, whose Start offers the console on that group", async () => {
    const reply = await ask(admin, group, "/stats", (m) => Boolean(m.text?.includes("成员")));
    const button = reply.reply_markup?.inline_keyboard.flat().find((b) => "url" in b && b.url?.includes("start=console_"));
    expect(button && "url" in button ? button.url : "").toBe(`https://t.me/sanxue_test_bot?start=console_${group.id}`);
    const dm = stage.sim.privateChat(admin);
    const before = stage.sim.messages(dm).at(-1);
    await stage.sim.startPrivate(admin, `console_${group.id}`);
    const offer = await stage.sim.waitForBotMessage(dm, withButtons, { after: before });
    expect(offer.reply_markup?.inline_keyboard[0]?.[0]).toMatchObject({ web_app: { url: `${base}/console/?g=${group.id}` } });
  });

  it("/report carries the console's web_app button", async () => {
    const dm = stage.sim.privateChat(county);
    const report = await ask(county, dm, "/report", (m) => Boolean(m.text?.includes("参与")));
    expect(report.reply_markup?.inline_keyboard[0]?.[0]).toMatchObject({ web_app: { url: `${base}/console/` } });
  });
});
