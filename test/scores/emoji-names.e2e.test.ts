import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimChat, SimMessage, SimUser } from "../../tools/simulator/index.js";
import { startStage, type Stage } from "../support/scene.js";

let stage: Stage;
let admin: SimUser;
let group: SimChat;

/** Twelve letters then an emoji: the old 14-unit cut of /top fell between the emoji's two halves. */
const AT_THE_CUT = "AAAAAAAAAAAA😀B";
const FAMILY = "👨‍👩‍👧‍👦";
const lessonWithButtons = (m: SimMessage) => Boolean(m.reply_markup?.inline_keyboard?.length);

async function say(from: SimUser, chat: SimChat, text: string): Promise<SimMessage> {
  const before = stage.sim.messages(chat).at(-1);
  await stage.sim.send(from, chat, text);
  return stage.sim.waitForBotMessage(chat, () => true, { after: before, timeout: 20_000 });
}

beforeAll(async () => {
  stage = await startStage();
  admin = stage.sim.user({ first_name: "王书记" });
  group = stage.sim.group({ title: "表情村", admins: [admin] });
  stage.sim.addBot(group, { by: admin, asAdmin: true });
  await stage.sim.waitForBotMessage(group, (m) => (m.text ?? "").includes("三学助手"), { timeout: 20_000 });
});

afterAll(async () => {
  await stage?.close();
});

describe("names and titles with emoji at the cut point break no message", () => {
  it("/top shows a member whose name has an emoji where the name used to be cut, and a ZWJ family, whole", async () => {
    const { sim } = stage;
    const cut = sim.user({ first_name: AT_THE_CUT });
    const family = sim.user({ first_name: FAMILY });
    sim.join(group, cut);
    sim.join(group, family);
    const before = sim.messages(group).at(-1);
    await sim.send(admin, group, "/push technology");
    const lesson = await sim.waitForBotMessage(group, lessonWithButtons, { after: before, timeout: 20_000 });
    expect((await sim.press(cut, lesson, "已学习 ✓"))?.text).toContain("已记录");
    expect((await sim.press(family, lesson, "已学习 ✓"))?.text).toContain("已记录");
    const board = await say(cut, group, "/top");
    expect(board.text).toContain(AT_THE_CUT);
    expect(board.text).toContain(FAMILY);
    expect(sim.calls.filter((c) => c.error?.description.includes("UTF-8"))).toEqual([]);
  }, 60_000);

  it("a sign-in titled with emoji: the Sign in toast comes back, title whole", async () => {
    const { sim } = stage;
    const member = sim.user({ first_name: "李明" });
    sim.join(group, member);
    const title = `A${"😀".repeat(50)}`;
    const before = sim.messages(group).at(-1);
    await sim.send(admin, group, `/open_signin 30 ${title}`);
    const signin = await sim.waitForBotMessage(group, (m) => Boolean(m.reply_markup?.inline_keyboard.flat().some((b) => b.text === "签到 ✋")), {
      after: before,
      timeout: 20_000,
    });
    const toast = await sim.press(member, signin, "签到 ✋");
    expect(toast?.text).toContain("签到成功");
    expect(toast?.text).toContain(title);
  }, 60_000);
});
