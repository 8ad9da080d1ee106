import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStage, type Stage } from "../support/scene.js";
import { lessonRef } from "../../src/lessons/lesson-ref.js";
import type { SimChat, SimMessage, SimUser } from "../../tools/simulator/index.js";

// The private "view lesson" button (from /lessons) carries a lesson ref and a group id; a forged press must not
// open a lesson the group never got, nor a secretaries' lesson to someone who is not one of its secretaries.
let stage: Stage;
let adminA: SimUser;
let secretary: SimUser;
let member: SimUser;
let groupA: SimChat;
let groupB: SimChat;
let list: SimMessage;

const withButtons = (m: SimMessage) => Boolean(m.reply_markup?.inline_keyboard?.length);

async function ask(user: SimUser, chat: SimChat, text: string, match: (m: SimMessage) => boolean = () => true, opts = {}): Promise<SimMessage> {
  const before = stage.sim.messages(chat).at(-1);
  await stage.sim.send(user, chat, text, opts);
  return stage.sim.waitForBotMessage(chat, match, { after: before, timeout: 15_000 });
}

async function startInPrivate(user: SimUser): Promise<SimChat> {
  const dm = stage.sim.privateChat(user);
  await stage.sim.startPrivate(user);
  await stage.sim.waitForBotMessage(dm, () => true, { timeout: 15_000 });
  return dm;
}

/** A forged press on the /lessons list; the answer, and whether a lesson arrived in the private chat after it. */
async function pressView(user: SimUser, on: SimMessage, data: string) {
  const dm = stage.sim.privateChat(user);
  const before = stage.sim.messages(dm).at(-1);
  const answer = await stage.sim.pressForged(user, on, data);
  return { answer, before, dm };
}

beforeAll(async () => {
  stage = await startStage();
  adminA = stage.sim.user({ first_name: "王书记" });
  secretary = stage.sim.user({ first_name: "李支书" });
  member = stage.sim.user({ first_name: "张明" });
  const adminB = stage.sim.user({ first_name: "周主任" });
  groupA = stage.sim.group({ title: "红星村学习群", admins: [adminA], members: [secretary, member] });
  groupB = stage.sim.group({ title: "青山社区", admins: [adminB] });
  for (const [g, by] of [[groupA, adminA], [groupB, adminB]] as const) {
    stage.sim.addBot(g, { by, asAdmin: true });
    await stage.sim.waitForBotMessage(g, (m) => (m.text ?? "").includes("三学助手"));
  }
  await startInPrivate(secretary);
  await startInPrivate(member);
  const before = stage.sim.messages(groupA).at(-1);
  const joined = await stage.sim.send(secretary, groupA, "/join");
  await stage.sim.waitForBotMessage(groupA, () => true, { after: before, timeout: 15_000 });
  await ask(member, groupA, "/join");
  expect((await ask(adminA, groupA, "/role secretary", () => true, { replyTo: joined })).text).toContain("李支书");
  // Group A gets seeds (technology) and both policy lessons (the second is for secretaries, sent privately);
  // group B alone gets the constitution lesson.
  await ask(adminA, groupA, "/push technology", withButtons);
  await ask(adminA, groupA, "/push policy", withButtons);
  await ask(adminA, groupA, "/push policy", (m) => Boolean(m.text?.includes("支部书记课程")));
  await ask(adminB, groupB, "/push constitution", withButtons);
  list = await ask(member, stage.sim.privateChat(member), "/lessons", withButtons);
}, 120_000);

afterAll(async () => {
  await stage?.close();
});

describe("the private view-lesson button", () => {
  it("opens a lesson that was pushed to the member's group", async () => {
    const { answer, before, dm } = await pressView(member, list, `lv:${lessonRef("technology-01")}:${groupA.id}`);
    expect(answer?.text ?? "").not.toContain("失效");
    const lesson = await stage.sim.waitForBotMessage(dm, withButtons, { after: before, timeout: 15_000 });
    expect(lesson.text).toContain("来自“红星村学习群”的课程");
  });

  it("a member of group A cannot view, under group A, a lesson only pushed to group B", async () => {
    const { answer, before, dm } = await pressView(member, list, `lv:${lessonRef("constitution-01")}:${groupA.id}`);
    expect(answer?.text).toContain("失效");
    expect(stage.sim.botMessages(dm).filter((m) => m.message_id > (before?.message_id ?? 0))).toHaveLength(0);
  });

  it("a member of group A cannot view group B's lesson under group B either", async () => {
    const { answer } = await pressView(member, list, `lv:${lessonRef("constitution-01")}:${groupB.id}`);
    expect(answer?.text).toContain("失效");
  });

  it("a secretaries' lesson is refused to a member who is not a secretary", async () => {
    const { answer, before, dm } = await pressView(member, list, `lv:${lessonRef("policy-09-secretaries")}:${groupA.id}`);
    expect(answer?.text).toContain("失效");
    expect(stage.sim.botMessages(dm).filter((m) => m.message_id > (before?.message_id ?? 0))).toHaveLength(0);
  });

  it("the group's secretary may view the secretaries' lesson again", async () => {
    const own = await ask(secretary, stage.sim.privateChat(secretary), "/lessons", withButtons);
    const { answer, before, dm } = await pressView(secretary, own, `lv:${lessonRef("policy-09-secretaries")}:${groupA.id}`);
    expect(answer?.text ?? "").not.toContain("失效");
    const lesson = await stage.sim.waitForBotMessage(dm, withButtons, { after: before, timeout: 15_000 });
    expect(lesson.text).toContain("支部书记工作要点");
  });
});
