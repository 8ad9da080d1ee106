import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStage, type Stage } from "../support/scene.js";
import type { SimChat, SimMessage, SimUser } from "../../tools/simulator/index.js";

// The export's deep link re-checks, at Start, that the person is still an organiser of the group.
let stage: Stage;
let admin: SimUser;
let group: SimChat;

async function ask(user: SimUser, chat: SimChat, text: string): Promise<SimMessage> {
  const before = stage.sim.messages(chat).at(-1);
  await stage.sim.send(user, chat, text);
  return stage.sim.waitForBotMessage(chat, () => true, { after: before, timeout: 15_000 });
}

beforeAll(async () => {
  stage = await startStage();
  admin = stage.sim.user({ first_name: "王书记" });
  const member = stage.sim.user({ first_name: "李明" });
  group = stage.sim.group({ title: "红星村学习群", admins: [admin], members: [member] });
  stage.sim.addBot(group, { by: admin, asAdmin: true });
  await stage.sim.waitForBotMessage(group, (m) => (m.text ?? "").includes("三学助手"));
  await ask(member, group, "/join");
}, 60_000);

afterAll(async () => {
  await stage?.close();
});

describe("the export deep link", () => {
  it("sends nothing to someone who stopped being an organiser before pressing Start", async () => {
    const line = await ask(admin, group, "/export");
    expect(line.reply_markup?.inline_keyboard.flat()[0]).toMatchObject({ url: `https://t.me/sanxue_test_bot?start=export_${group.id}` });
    stage.sim.leave(group, admin);
    const dm = stage.sim.privateChat(admin);
    await stage.sim.startPrivate(admin, `export_${group.id}`);
    const reply = await stage.sim.waitForBotMessage(dm, () => true, { timeout: 15_000 });
    expect(reply.text).toContain("不是这个群的管理员");
    expect(stage.sim.botMessages(dm).filter((m) => m.document)).toHaveLength(0);
    expect(stage.sim.botMessages(group).filter((m) => m.document)).toHaveLength(0);
  });
});
