import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStage, type Stage } from "../support/scene.js";
import type { SimChat, SimMessage, SimUser } from "../../tools/simulator/index.js";

let stage: Stage;
let admin: SimUser;
let member: SimUser;
let group: SimChat;

const lessonWithButtons = (m: SimMessage) => Boolean(m.reply_markup?.inline_keyboard?.length);

beforeAll(async () => {
  stage = await startStage();
  admin = stage.sim.user({ first_name: "王书记" });
  member = stage.sim.user({ first_name: "李明" });
  group = stage.sim.group({ title: "红星村学习群", admins: [admin], members: [member] });
});

afterAll(async () => {
  await stage?.close();
});

describe("lessons end to end", () => {
  it("greets a group when it is added", async () => {
    stage.sim.addBot(group, { by: admin, asAdmin: true });
    const welcome = await stage.sim.waitForBotMessage(group, (m) => (m.text ?? "").includes("三学助手"));
    expect(welcome.text).toContain("/push");
  });

  it("an administrator's /push brings the next lesson with Studied and Ask buttons", async () => {
    const before = stage.sim.messages(group).at(-1);
    await stage.sim.send(admin, group, "/push technology");
    const lesson = await stage.sim.waitForBotMessage(group, lessonWithButtons, { after: before });
    expect(lesson.text).toContain("选种");
    const labels = lesson.reply_markup?.inline_keyboard.flat().map((b) => b.text);
    expect(labels).toEqual(["已学习 ✓", "就此提问"]);
  });

  it("a member's /push is refused and pushes nothing", async () => {
    const before = stage.sim.messages(group).at(-1);
    await stage.sim.send(member, group, "/push");
    const reply = await stage.sim.waitForBotMessage(group, () => true, { after: before });
    expect(reply.text).toContain("管理员");
    expect(stage.sim.botMessages(group).filter(lessonWithButtons).length).toBe(1);
  });

  it("Studied pressed twice counts once", async () => {
    const lesson = stage.sim.botMessages(group).filter(lessonWithButtons)[0]!;
    const first = await stage.sim.press(member, lesson, "已学习 ✓");
    const second = await stage.sim.press(member, lesson, "已学习 ✓");
    expect(first?.text).toContain("已记录");
    expect(second?.text).toContain("已经记录过");
    const third = await stage.sim.press(admin, lesson, "已学习 ✓");
    expect(third?.text).toContain("已记录");
  });

  it("a forged button press gets a clear answer", async () => {
    const lesson = stage.sim.botMessages(group).filter(lessonWithButtons)[0]!;
    for (const data of ["ls:AAAAAAAAAA", "ls:", "zz:1:2:3", "ls:abc:-100:extra"]) {
      const answer = await stage.sim.pressForged(member, lesson, data);
      expect(answer?.text, data).toBeTruthy();
    }
    expect((await stage.sim.pressForged(member, lesson, "ls:AAAAAAAAAA"))?.text).toContain("失效");
  });

  it("text that would break HTML arrives escaped", async () => {
    const before = stage.sim.messages(group).at(-1);
    await stage.sim.send(admin, group, "/push constitution");
    const lesson = await stage.sim.waitForBotMessage(group, lessonWithButtons, { after: before });
    expect(lesson.text).toContain("党员的义务 <与> 权利 & 责任");
  });

  it("an unknown command gets a clear answer", async () => {
    const before = stage.sim.messages(group).at(-1);
    await stage.sim.send(member, group, "/frobnicate now");
    const reply = await stage.sim.waitForBotMessage(group, () => true, { after: before });
    expect(reply.text).toContain("/frobnicate");
  });
});
