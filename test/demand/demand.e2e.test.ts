import { cp, writeFile } from "node:fs/promises";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURE_CONTENT, startStage, type Stage } from "../support/scene.js";
import { freePort } from "../support/redis-server.js";
import type { SimChat, SimMessage, SimUser } from "../../tools/simulator/index.js";

const COUNTY_ID = 900_101;
let stage: Stage;
let admin: SimUser;
let members: SimUser[];
let group: SimChat;
let consoleBase: string;

/** A console API call as the page makes it, signed for `user` by the simulator. */
async function consoleGet<T>(user: SimUser, path: string): Promise<T> {
  const res = await fetch(`${consoleBase}/console/api/${path}`, { headers: { authorization: `tma ${stage.sim.webAppInitData(user)}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

const lessonFile = (id: string, order: number, title: string, topics: string) =>
  `---\nid: ${id}\ntrack: technology\ntitle: ${title}\norder: ${order}\ntopics: ${topics}\n---\n${title}的正文。\n`;

/** The fixture curriculum, its technology lessons tagged with topics and a needs survey that names them. */
async function taggedContent(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "sanxue-demand-"));
  await cp(FIXTURE_CONTENT, dir, { recursive: true });
  const tech = path.join(dir, "lessons/technology");
  await writeFile(path.join(tech, "01-seeds.md"), lessonFile("technology-01", 1, "选种", "[planting]"));
  await writeFile(path.join(tech, "02-drip.md"), lessonFile("technology-02", 2, "滴灌", "[planting, greenhouse]"));
  await writeFile(path.join(tech, "03-shop.md"), lessonFile("technology-03", 3, "网上开店", "[e-commerce]"));
  await writeFile(path.join(tech, "04-pigs.md"), lessonFile("technology-04", 4, "生猪养殖", "[livestock]"));
  await writeFile(
    path.join(dir, "surveys/needs.yaml"),
    [
      "title: 学习需求调查",
      "questions:",
      "  - question: 你最希望学习哪一类内容？（可多选）",
      "    options: [党章党规, 种植技术, 农产品电商, 养殖技术]",
      "    topics: [~, planting, e-commerce, livestock]",
      "    multiple: true",
      "  - question: 你一般什么时间方便学习？",
      "    options: [早上, 晚上]",
      "",
    ].join("\n"),
  );
  return dir;
}

async function ask(from: SimUser, chat: SimChat, text: string, match: (m: SimMessage) => boolean = () => true): Promise<SimMessage> {
  const before = stage.sim.messages(chat).at(-1);
  await stage.sim.send(from, chat, text);
  return stage.sim.waitForBotMessage(chat, match, { after: before, timeout: 15_000 });
}

const has = (words: string) => (m: SimMessage) => (m.text ?? "").includes(words);
/** The lesson message itself (it carries the "Studied ✓" button). */
const lessonMessage = (m: SimMessage) => Boolean(m.reply_markup?.inline_keyboard?.flat().some((b) => b.text.includes("已学习")));
const pushedTitle = async () => (await ask(admin, group, "/push technology", (m) => lessonMessage(m) || has("已全部推送")(m) || has("没有")(m))).text ?? "";

beforeAll(async () => {
  const port = await freePort();
  consoleBase = `http://127.0.0.1:${port}`;
  // The console on, so its views can be held against /schedule and /report.
  stage = await startStage({ env: { CONTENT_DIR: await taggedContent(), ORGANIZER_IDS: String(COUNTY_ID), PUBLIC_URL: consoleBase, PORT: String(port) } });
  admin = stage.sim.user({ first_name: "王书记" });
  members = ["李明", "张华", "刘芳"].map((first_name) => stage.sim.user({ first_name }));
  group = stage.sim.group({ title: "红星村学习群", admins: [admin], members });
  stage.sim.addBot(group, { by: admin, asAdmin: true });
  await stage.sim.waitForBotMessage(group, has("三学助手"));
}, 60_000);

afterAll(async () => {
  await stage?.close();
});

describe("training by demand end to end", () => {
  it("before any needs survey, /schedule lists the technology lessons in curriculum order", async () => {
    expect(await pushedTitle()).toContain("选种"); // technology-01 is pushed: it stays pushed whatever follows
    const text = (await ask(admin, group, "/schedule", has("学习安排"))).text ?? "";
    expect(text).toContain("还没有结束过需求调查");
    expect(text).toMatch(/1\. 滴灌[\s\S]*2\. 网上开店[\s\S]*3\. 生猪养殖/);
    expect(text).toContain("/schedule pin");
  });

  it("a needs survey in a group changes its next technology lesson to the most-wanted topic", async () => {
    const title = await ask(admin, group, "/survey needs", has("学习需求调查"));
    const polls = await stage.sim.waitFor(() => {
      const found = stage.sim.botMessages(group).filter((m) => m.poll && m.message_id > title.message_id);
      return found.length === 2 ? found : undefined;
    });
    const [a, b, c] = members as [SimUser, SimUser, SimUser];
    await stage.sim.answerPoll(a, polls[0]!, [2]); // e-commerce
    await stage.sim.answerPoll(b, polls[0]!, [2, 1]); // e-commerce and planting
    await stage.sim.answerPoll(c, polls[0]!, [3]); // livestock
    await stage.sim.waitFor(async () => ((await ask(admin, group, "/survey results", has("结果"))).text ?? "").includes("农产品电商：2") || undefined);

    const closed = await ask(admin, group, "/survey close", has("已结束"));
    expect(closed.text).toContain("学习需求调查");
    await stage.sim.waitFor(() => (stage.sim.botMessages(group).find((m) => m.message_id === polls[0]!.message_id)?.poll?.is_closed ? true : undefined));
    await ask(admin, group, "/survey close", has("没有正在进行的调查"));

    const text = (await ask(admin, group, "/schedule", has("学习安排"))).text ?? "";
    expect(text).toMatch(/最想学：e-commerce（2 票）、livestock（1 票）、planting（1 票）/);
    // Ties (livestock, planting: one vote each) keep curriculum order: 滴灌 (planting) before 生猪养殖 (livestock).
    expect(text).toMatch(/1\. 网上开店[\s\S]*2\. 滴灌[\s\S]*3\. 生猪养殖/);
    expect(text).not.toMatch(/\d\. 选种/); // already pushed: never offered again

    expect(await pushedTitle()).toContain("网上开店");
  });

  it("the console's group view shows the elective order /schedule shows, and the topics asked for", async () => {
    const text = (await ask(admin, group, "/schedule", has("学习安排"))).text ?? "";
    const listed = [...text.matchAll(/^\d+\. (\S+)/gm)].map((m) => m[1]);
    type View = { demand: { needs: { topics: { topic: string; votes: number }[] } | null; plans: { track: string; upcoming: { title: string; pinned: boolean }[] }[] } };
    const view = await consoleGet<View>(admin, `group/${group.id}`);
    const tech = view.demand.plans.find((p) => p.track === "technology");
    expect(tech?.upcoming.map((l) => l.title)).toEqual(listed);
    expect(listed.length).toBeGreaterThan(1);
    expect(listed).toEqual(["滴灌", "生猪养殖"]);
    expect(tech?.upcoming.some((l) => l.pinned)).toBe(false);
    expect(view.demand.needs?.topics).toEqual([{ topic: "e-commerce", votes: 2 }, { topic: "livestock", votes: 1 }, { topic: "planting", votes: 1 }]);
  });

  it("the organiser turns the reordering off and on, pins and skips; a member may not", async () => {
    await ask(members[0]!, group, "/schedule pin 2", has("管理员"));
    await ask(admin, group, "/schedule order off", has("已关闭按需排序"));
    let text = (await ask(admin, group, "/schedule", has("学习安排"))).text ?? "";
    expect(text).toContain("按需排序已关闭");
    expect(text).toMatch(/1\. 滴灌[\s\S]*2\. 生猪养殖/);
    await ask(admin, group, "/schedule order on", has("已开启按需排序"));

    await ask(admin, group, "/schedule pin 2", has("已置顶：“生猪养殖”"));
    text = (await ask(admin, group, "/schedule", has("学习安排"))).text ?? "";
    expect(text).toMatch(/1\. 生猪养殖 technology-04 📌[\s\S]*2\. 滴灌/);
    await ask(admin, group, "/schedule skip technology-02", has("已跳过：“滴灌”"));
    await ask(admin, group, "/schedule pin technology-01", has("已经推送过了"));
    await ask(admin, group, "/schedule skip technology-99", has("找不到这节课"));
    await ask(admin, group, "/schedule fly", has("用法"));

    expect(await pushedTitle()).toContain("生猪养殖");
    expect(await pushedTitle()).toContain("已全部推送"); // 滴灌 is skipped
    text = (await ask(admin, group, "/schedule", has("学习安排"))).text ?? "";
    expect(text).toContain("已跳过：滴灌 technology-02");
    await ask(admin, group, "/schedule restore technology-02", has("已恢复"));
    expect(await pushedTitle()).toContain("滴灌");
  });

  it("/report shows each group's needs and the lessons on each topic pushed and studied since", async () => {
    const shop = stage.sim.botMessages(group).find((m) => lessonMessage(m) && (m.text ?? "").includes("网上开店"))!;
    expect((await stage.sim.press(members[0]!, shop, "已学习 ✓"))?.text).toContain("已记录");
    expect((await stage.sim.press(members[1]!, shop, "已学习 ✓"))?.text).toContain("已记录");
    const county = stage.sim.user({ first_name: "县委组织部", id: COUNTY_ID });
    await stage.sim.startPrivate(county);
    const dm = stage.sim.privateChat(county);
    await stage.sim.waitForBotMessage(dm);
    await ask(county, dm, "/report", has("各群需求"));
    const needs = stage.sim.botMessages(dm).find((m) => (m.text ?? "").includes("各群需求"))?.text ?? "";
    expect(needs).toContain("红星村学习群");
    expect(needs).toContain("3 人作答");
    expect(needs).toContain("e-commerce：2 票 · 此后推送 1 课 · 学习 2 人次");
    expect(needs).toContain("livestock：1 票 · 此后推送 1 课 · 学习 0 人次");
    expect(needs).toContain("planting：1 票 · 此后推送 1 课"); // 滴灌, after the restore
  });

  it("the console's county view gives /report's needs, by town", async () => {
    await ask(admin, group, "/settings town 红星镇", has("红星镇"));
    const county = stage.sim.user({ first_name: "县委组织部", id: COUNTY_ID });
    const dm = stage.sim.privateChat(county);
    await ask(county, dm, "/report", has("各群需求"));
    const needs = stage.sim.botMessages(dm).findLast((m) => (m.text ?? "").includes("各群需求"))?.text ?? "";
    type Row = { groupId: number; town?: string; voters: number; topics: { topic: string; votes: number; pushed: number; studied: number }[] };
    const view = await consoleGet<{ towns: string[]; needs: Row[] }>(county, "county");
    expect(view.towns).toEqual(["红星镇"]);
    const row = view.needs.find((r) => r.groupId === group.id);
    expect(row?.town).toBe("红星镇");
    expect(needs).toContain("红星镇 · 红星村学习群");
    expect(needs).toContain(`${row?.voters} 人作答`);
    expect(row?.topics.length).toBe(3);
    for (const t of row?.topics ?? []) expect(needs).toContain(`${t.topic}：${t.votes} 票 · 此后推送 ${t.pushed} 课 · 学习 ${t.studied} 人次`);
  });

  it("the organiser chooses the group's elective tracks from Telegram; a track that is none is refused and changes nothing", async () => {
    await ask(members[0]!, group, "/schedule elective policy", has("管理员"));
    await ask(admin, group, "/schedule elective 音乐", has("用法：/schedule elective"));
    await ask(admin, group, "/schedule elective", has("用法：/schedule elective"));
    let text = (await ask(admin, group, "/schedule", has("学习安排"))).text ?? "";
    expect(text).toContain("实用技术课已全部推送"); // every technology lesson went in the tests above
    expect(text).not.toContain("政策理论课接下来的顺序");

    await ask(admin, group, "/schedule elective 技术、政策", has("选修课程线已设为：政策理论、实用技术"));
    text = (await ask(admin, group, "/schedule", has("学习安排"))).text ?? "";
    expect(text).toContain("政策理论课接下来的顺序");

    await ask(admin, group, "/schedule elective none", has("已不设选修课程线"));
    text = (await ask(admin, group, "/schedule", has("学习安排"))).text ?? "";
    expect(text).not.toContain("按需培训");
  });
});
