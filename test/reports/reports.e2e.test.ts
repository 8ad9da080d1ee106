import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStage, type Stage } from "../support/scene.js";
import type { SimChat, SimMessage, SimUser } from "../../tools/simulator/index.js";
import { parseCsv } from "./csv.js";

const COUNTY_ID = 900_001;
let stage: Stage;
let admin: SimUser;
let li: SimUser;
let zhang: SimUser;
let zhao: SimUser;
let group: SimChat;

const withButtons = (m: SimMessage) => Boolean(m.reply_markup?.inline_keyboard?.length);

async function ask(user: SimUser, chat: SimChat, text: string, match: (m: SimMessage) => boolean = () => true): Promise<SimMessage> {
  const before = stage.sim.messages(chat).at(-1);
  await stage.sim.send(user, chat, text);
  return stage.sim.waitForBotMessage(chat, match, { after: before, timeout: 15_000 });
}

beforeAll(async () => {
  stage = await startStage({ env: { ORGANIZER_IDS: String(COUNTY_ID) } });
  admin = stage.sim.user({ first_name: "王书记" });
  li = stage.sim.user({ first_name: "李明" });
  zhang = stage.sim.user({ first_name: "张<b>三" });
  zhao = stage.sim.user({ first_name: "赵,四", last_name: '"老赵"' });
  group = stage.sim.group({ title: "红星村学习群", admins: [admin], members: [li, zhang, zhao] });
  stage.sim.addBot(group, { by: admin, asAdmin: true });
  await stage.sim.waitForBotMessage(group, (m) => (m.text ?? "").includes("三学助手"));
  // The scripted week: two lessons; 李明 studies both, 张三 the first, 赵四 only joins.
  const seeds = await ask(admin, group, "/push technology", withButtons);
  const duties = await ask(admin, group, "/push constitution", withButtons);
  expect((await stage.sim.press(li, seeds, "已学习 ✓"))?.text).toContain("已记录");
  expect((await stage.sim.press(li, duties, "已学习 ✓"))?.text).toContain("已记录");
  expect((await stage.sim.press(zhang, seeds, "已学习 ✓"))?.text).toContain("已记录");
  expect((await stage.sim.press(zhang, seeds, "已学习 ✓"))?.text).toContain("已经记录过");
  await ask(zhao, group, "/join");
}, 90_000);

afterAll(async () => {
  await stage?.close();
});

const docsAfter = (chat: SimChat, before: SimMessage | undefined) =>
  stage.sim.botMessages(chat).filter((m) => m.message_id > (before?.message_id ?? 0) && m.document);
const exportLink = () => `https://t.me/sanxue_test_bot?start=export_${group.id}`;

describe("/stats", () => {
  it("shows the numbers the scripted week implies in the group, without members' names", async () => {
    const reply = await ask(admin, group, "/stats");
    const text = reply.text ?? "";
    expect(text).toContain("成员 4 人");
    expect(text).toContain("本周推送 2 节课");
    expect(text).toMatch(/50%\s+2\s+选种/);
    expect(text).toMatch(/25%\s+1\s+党员的义务 <与> 权/);
    expect(text).toContain("答题参与 0/4 人");
    for (const name of ["李明", "张<b>三", "赵,四"]) expect(text).not.toContain(name);
    expect(text).not.toContain("最活跃成员");
    expect(text).toContain("成员名单只私信发给组织者"); // the admin has not started the bot yet
  });

  it("refuses a member, and explains a bad week argument", async () => {
    expect((await ask(li, group, "/stats")).text).toContain("管理员");
    expect((await ask(admin, group, "/stats W99")).text).toContain("看不懂");
    expect((await ask(admin, group, "/stats 2999-W01")).text).toContain("还没有开始");
    expect((await ask(admin, group, "/stats last")).text).toContain("本周推送 0 节课");
  });
});

describe("/export", () => {
  let csvRows: string[][];

  it("refuses a bad number of weeks", async () => {
    expect((await ask(admin, group, "/export 0")).text).toContain("1 到 52");
    expect((await ask(admin, group, "/export 53")).text).toContain("1 到 52");
    expect((await ask(li, group, "/export")).text).toContain("管理员");
  });

  it("without a private chat, the group gets one line with a deep link to the private chat, and no files", async () => {
    const before = stage.sim.messages(group).at(-1);
    const line = await ask(admin, group, "/export 1");
    expect(line.text).toContain("私信");
    expect(line.text?.split("\n")).toHaveLength(1);
    const buttons = line.reply_markup?.inline_keyboard.flat() ?? [];
    expect(buttons.map((b) => ("url" in b ? b.url : undefined))).toEqual([exportLink()]);
    // The reply is the handler's last word in the group: nothing else came with it.
    expect(stage.sim.botMessages(group).filter((m) => m.message_id > (before?.message_id ?? 0))).toEqual([line]);
    expect(stage.sim.botMessages(stage.sim.privateChat(admin))).toHaveLength(0);
  });

  it("another member who opens the organiser's link gets nothing", async () => {
    const dm = stage.sim.privateChat(zhang);
    await stage.sim.startPrivate(zhang, `export_${group.id}`);
    const reply = await stage.sim.waitForBotMessage(dm, () => true, { timeout: 15_000 });
    expect(reply.text).toContain("没有等你领取");
    expect(docsAfter(dm, undefined)).toHaveLength(0);
  });

  it("the organiser's Start on the link brings the files privately, once", async () => {
    const dm = stage.sim.privateChat(admin);
    const groupBefore = stage.sim.messages(group).at(-1);
    await stage.sim.startPrivate(admin, `export_${group.id}`);
    const csv = await stage.sim.waitForBotMessage(dm, (m) => Boolean(m.document?.file_name?.endsWith(".csv")), { timeout: 15_000 });
    const rows = parseCsv(csv.document!.bytes);
    expect(new Map(rows.slice(1).map((r) => [Number(r[0]), r[2]])).get(li.id)).toBe("2");
    expect(docsAfter(dm, undefined).map((m) => m.document?.file_name?.split(".").pop()).sort()).toEqual(["csv", "xlsx"]);
    expect(docsAfter(group, groupBefore)).toHaveLength(0);
    // The request is taken once: pressing the link again finds nothing waiting.
    const again = await ask(admin, dm, `/start export_${group.id}`);
    expect(again.text).toContain("没有等你领取");
    expect(docsAfter(dm, undefined)).toHaveLength(2);
  });

  it("/stats, once the organiser started the bot, sends the names privately and keeps them out of the group", async () => {
    const dm = stage.sim.privateChat(admin);
    const before = stage.sim.messages(dm).at(-1);
    const reply = await ask(admin, group, "/stats");
    expect(reply.text).not.toContain("李明");
    expect(reply.text).toContain("已私信发给你");
    const full = await stage.sim.waitForBotMessage(dm, (m) => Boolean(m.text?.includes("最活跃成员")), { after: before, timeout: 15_000 });
    expect(full.text).toMatch(/1\.\s+2\s+李明/);
    expect(full.text).toMatch(/2\.\s+1\s+张<b>三/);
    expect(full.html).toContain("张&lt;b&gt;三");
  });

  it("sends a CSV whose rows equal the scripted week, to the organiser in private", async () => {
    const dm = stage.sim.privateChat(admin);
    const before = stage.sim.messages(dm).at(-1);
    const reply = await ask(admin, group, "/export", (m) => !m.document);
    expect(reply.text).toContain("私信");
    const csv = await stage.sim.waitForBotMessage(dm, (m) => Boolean(m.document?.file_name?.endsWith(".csv")), { after: before });
    csvRows = parseCsv(csv.document!.bytes);
    expect(csvRows[0]?.slice(0, 7)).toEqual(["user_id", "name", "lessons_studied", "signins", "quiz_answers", "quiz_correct", "questions_asked"]);
    const byId = new Map(csvRows.slice(1).map((r) => [Number(r[0]), r]));
    expect(byId.size).toBe(4);
    expect(byId.get(li.id)?.slice(1, 7)).toEqual(["李明", "2", "0", "0", "0", "0"]);
    expect(byId.get(zhang.id)?.slice(1, 7)).toEqual(["张<b>三", "1", "0", "0", "0", "0"]);
    expect(byId.get(zhao.id)?.slice(1, 7)).toEqual(['赵,四 "老赵"', "0", "0", "0", "0", "0"]);
    expect(byId.get(admin.id)?.[2]).toBe("0");
  });

  it("sends an XLSX with the same numbers", async () => {
    const dm = stage.sim.privateChat(admin);
    const doc = stage.sim.botMessages(dm).filter((m) => m.document?.file_name?.endsWith(".xlsx")).at(-1);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(doc!.document!.bytes as unknown as ArrayBuffer);
    expect(wb.worksheets.length).toBe(5); // summary + 4 weeks
    const summary = wb.worksheets[0]!;
    expect(summary.views[0]?.state).toBe("frozen");
    const sheetRows: string[][] = [];
    summary.eachRow((row, n) => {
      if (n > 1) sheetRows.push((row.values as unknown[]).slice(1, 8).map(String));
    });
    expect(sheetRows).toEqual(csvRows.slice(1).map((r) => r.slice(0, 7)));
  });

  it("an organiser who blocked the bot gets the deep link in the group, and the files after Start", async () => {
    const dm = stage.sim.privateChat(admin);
    stage.sim.block(admin);
    const groupBefore = stage.sim.messages(group).at(-1);
    const line = await ask(admin, group, "/export 2");
    expect(line.reply_markup?.inline_keyboard.flat().map((b) => ("url" in b ? b.url : undefined))).toEqual([exportLink()]);
    expect(docsAfter(group, groupBefore)).toHaveLength(0);
    const dmBefore = stage.sim.messages(dm).at(-1);
    await stage.sim.startPrivate(admin, `export_${group.id}`);
    const xlsx = await stage.sim.waitForBotMessage(dm, (m) => Boolean(m.document?.file_name?.endsWith(".xlsx")), { after: dmBefore, timeout: 15_000 });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.document!.bytes as unknown as ArrayBuffer);
    expect(wb.worksheets.length).toBe(3); // summary + the 2 weeks asked for
    expect(docsAfter(group, groupBefore)).toHaveLength(0);
  });
});

describe("county organisers", () => {
  let county: SimUser;
  let other: SimChat;

  beforeAll(async () => {
    county = stage.sim.user({ first_name: "县委组织部", id: COUNTY_ID });
    const admin2 = stage.sim.user({ first_name: "周支书" });
    const member2 = stage.sim.user({ first_name: "吴芳" });
    other = stage.sim.group({ title: "青山社区", admins: [admin2], members: [member2] });
    stage.sim.addBot(other, { by: admin2, asAdmin: true });
    await stage.sim.waitForBotMessage(other, (m) => (m.text ?? "").includes("三学助手"));
    await ask(admin2, other, "/push technology", withButtons);
    await ask(member2, other, "/join");
    await stage.sim.startPrivate(county);
    await stage.sim.waitForBotMessage(stage.sim.privateChat(county));
  });

  it("/report ranks the group that studied above the one that did not, with the formula and a workbook", async () => {
    const saved = await ask(admin, group, "/settings town 红星镇");
    expect(saved.text).toContain("红星镇");
    const dm = stage.sim.privateChat(county);
    const reply = await ask(county, dm, "/report", (m) => Boolean(m.text?.includes("参与")));
    const text = reply.text ?? "";
    expect(text.indexOf("红星村学习群")).toBeGreaterThan(0);
    expect(text.indexOf("红星村学习群")).toBeLessThan(text.indexOf("青山社区"));
    // Under the ranking, the towns organisers set (groups, mean index), and the groups with none.
    expect(text).toMatch(/红星镇：1 个群 · 指数 \d+/);
    expect(text).toContain("未设乡镇：1 个群 · 指数 0");
    expect(text).toContain("参与指数（0–100）");
    const doc = await stage.sim.waitForBotMessage(dm, (m) => Boolean(m.document?.file_name?.endsWith(".xlsx")), { after: reply });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(doc.document!.bytes as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.rowCount).toBe(3);
    expect(ws.getRow(2).getCell(2).value).toBe("红星村学习群");
    expect(ws.getRow(2).getCell(3).value).toBe("红星镇");
    expect(ws.getRow(3).getCell(3).value ?? "").toBe("");
    expect(Number(ws.getRow(2).getCell(10).value)).toBeGreaterThan(Number(ws.getRow(3).getCell(10).value));
  });

  it("/groups lists both groups with member counts", async () => {
    const dm = stage.sim.privateChat(county);
    const reply = await ask(county, dm, "/groups");
    expect(reply.text).toContain("红星村学习群 · 4 人");
    expect(reply.text).toContain("青山社区 · 2 人");
  });

  it("a stranger is refused, in private and in a group", async () => {
    await stage.sim.startPrivate(li);
    const dm = stage.sim.privateChat(li);
    await stage.sim.waitForBotMessage(dm);
    expect((await ask(li, dm, "/report")).text).toContain("县级组织者");
    expect((await ask(li, dm, "/groups")).text).toContain("县级组织者");
    expect((await ask(admin, group, "/report")).text).toContain("县级组织者");
    expect((await ask(admin, group, "/report bogus")).text).toContain("县级组织者");
  });
});
