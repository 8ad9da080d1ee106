import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoStage, type DemoStage } from "../../tools/demo/demo-stage.js";
import { demoWeekStart, playWeek, type PlayedWeek } from "../../tools/demo/week.js";
import type { SimMessage } from "../../tools/simulator/index.js";

/** `npm run demo`'s week, on the demo's own stage (the bot in process, its own redis-server, the real content). */
let stage: DemoStage;
let week: PlayedWeek;
let dataDir: string;
const lines: string[] = [];
const text = (m: SimMessage | undefined) => m?.text ?? m?.caption ?? "";

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "sanxue-demo-test-"));
  stage = await startDemoStage({ dataDir, start: demoWeekStart(Date.now()), contentDir: "content" });
  stage.sim.onEvent((line) => lines.push(line));
  week = await playWeek(stage, (line) => lines.push(line));
}, 60_000);

afterAll(async () => {
  await stage?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe("the demo's week", () => {
  it("the bot greets the group, and the schedule's Wednesday slot pushes the policy lesson with its sign-in", () => {
    expect(text(week.welcome)).toContain("三学助手");
    expect(text(week.lesson)).toContain("政策理论 · 第 1 课");
    expect(text(week.lesson)).toContain("乡村振兴");
    // The sign-in message is edited in place as people sign in; the transcript keeps how it first looked.
    expect(lines.some((l) => l.includes("📝 签到：乡村振兴战略的总要求") && l.includes("[签到 ✋]"))).toBe(true);
    expect(week.signinClosed.message_id).toBe(week.signin.message_id);
    expect(lines.findIndex((l) => l.includes("Wednesday") && l.includes("20:00"))).toBeLessThan(lines.findIndex((l) => l.includes("政策理论 · 第 1 课")));
  });

  it("Studied counts each member once, whatever the name", () => {
    expect(week.studied.map((s) => [s.who.first_name, s.toast?.startsWith("已记录") ? "counted" : s.toast])).toEqual([
      ["李明 🌾", "counted"],
      ["张<芳>", "counted"],
      ['赵"老三"', "counted"],
      ["李明 🌾", "已经记录过了，不会重复计数。"],
    ]);
  });

  it("the sign-in: on time, late, excused and absent, closed by its timer, the lists to the secretary privately", () => {
    expect(week.signinToasts.map((s) => s.toast)).toEqual([expect.stringContaining("签到成功"), expect.stringContaining("记为迟到")]);
    expect(text(week.excused)).toContain("已为你登记请假");
    expect(text(week.signinClosed)).toContain("已签到 2 人（准时 1，迟到 1），请假 1 人，未签到 2 人；本群应到 5 人。");
    const lists = stage.sim.botMessages(stage.sim.privateChat(stage.cast.secretary)).find((m) => text(m).includes("签到结果"));
    expect(text(lists)).toContain("刘 & 陈");
    expect(text(lists)).toContain("张<芳>");
    expect(text(lists)).toContain('赵"老三"：在外务工，今晚不能参加');
  });

  it("the lesson's quiz comes an hour later, is answered right and wrong, and its results follow the close", () => {
    expect(week.quiz.polls).toHaveLength(3);
    expect(week.quiz.polls.every((m) => m.poll?.type === "quiz")).toBe(true);
    expect(week.quiz.answers.filter((a) => !a.right).map((a) => a.who.first_name)).toEqual(["张<芳>"]);
    expect(text(week.quiz.results)).toContain("参与 3 人 · 答对率 80%");
    expect(text(week.quiz.results)).toMatch(/李明 🌾 · 答对 3\/3 · \d\.\d 秒/);
  });

  it("a member's question reaches the experts' chat exactly and the expert's answer comes back under it", () => {
    const { asked, card, relayed } = week.question;
    expect(text(card)).toContain("果树什么时候剪枝最好？<老枝> & 新枝都要剪吗？");
    expect(text(card)).toContain('赵"老三"');
    expect(card.chat.id).toBe(stage.cast.experts.id);
    expect(relayed.chat.id).toBe(stage.cast.group.id);
    expect(relayed.reply_to_message_id).toBe(asked.message_id);
    expect(text(relayed)).toContain("专家 张工 👷 回答了问题 #1");
    expect(text(relayed)).toContain("病枝、枯枝和交叉枝要剪掉");
  });

  it("/stats in the group leaves the names out; the secretary gets them privately", () => {
    for (const m of [week.stats.inGroup, week.stats.privately]) {
      expect(text(m)).toContain(`红星村学习群 · ${week.weekId}`);
      expect(text(m)).toContain("答题参与 3/5 人（60%），平均正确率 80%");
      expect(text(m)).toContain("提问 1 个，已答复 1 个，首次答复中位时间 2h 00m");
    }
    expect(week.stats.inGroup.chat.id).toBe(stage.cast.group.id);
    expect(text(week.stats.inGroup)).not.toContain("李明");
    expect(text(week.stats.privately)).toContain("李明 🌾");
  });

  it("next Monday 08:00 the scheduled report reaches the secretary: text, the chart as a PNG, the workbook", () => {
    const { text: report, chart, workbook, slotAt } = week.report;
    expect(text(report)).toContain(`📮`);
    expect(text(report)).toContain(week.weekId);
    expect(chart.photo?.bytes.subarray(1, 4).toString()).toBe("PNG");
    expect(workbook.document?.file_name).toMatch(new RegExp(`${week.weekId}\\.xlsx$`));
    expect(new Date(slotAt).getUTCDay()).toBe(1);
    expect(chart.date * 1000).toBeGreaterThanOrEqual(slotAt);
    // The clock went past Friday's 20:00 slot: no second lesson was pushed.
    expect(stage.sim.botMessages(stage.cast.group).filter((m) => text(m).includes("· 第 "))).toHaveLength(1);
  });

  it("the console serves the week's data to initData signed by the simulator (the link the demo prints)", async () => {
    const res = await fetch(`${stage.publicUrl}/console/api/county?week=${week.weekId}`, {
      headers: { authorization: `tma ${stage.sim.webAppInitData(stage.cast.county)}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { groups: { title: string }[] };
    expect(body.groups.map((g) => g.title)).toEqual(["红星村学习群"]);
    const forged = await fetch(`${stage.publicUrl}/console/api/county?week=${week.weekId}`, { headers: { authorization: "tma hash=00" } });
    expect(forged.status).toBe(401);
  });

  it("the transcript is in order and readable: day headers, who said what, replies quoting what they answer", () => {
    const order = ["Tuesday", "Wednesday 2026", "小测结果", "签到已结束", "Thursday", "/ask 果树", "回答了问题 #1", "Friday", "/stats", "Monday", "📮"];
    const at = order.map((s) => lines.findIndex((l) => l.includes(s)));
    expect(at.every((i) => i >= 0), JSON.stringify(at)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(lines.some((l) => l.includes("(↩ 赵\"老三\" “/ask 果树"))).toBe(true);
    expect(lines.join("\n")).not.toMatch(/<\/?(b|i|a|code|pre)\b/);
  });
});
