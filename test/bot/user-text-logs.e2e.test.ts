import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStage, type Stage } from "../support/scene.js";
import type { SimChat, SimMessage, SimUser } from "../../tools/simulator/index.js";

// Every word people write here carries this marker; none may appear in anything the bot process writes.
const MARK = "秘密";
let stage: Stage;
let admin: SimUser;
let member: SimUser;
let group: SimChat;
const text = (m: SimMessage) => m.text ?? m.caption ?? "";

beforeAll(async () => {
  stage = await startStage({
    // an experts' chat the bot cannot reach: posting a question fails, and the refusal is logged
    env: { LOG_LEVEL: "trace", EXPERTS_CHAT_ID: "-1009999999999" },
  });
  admin = stage.sim.user({ first_name: `${MARK}管理员`, last_name: `${MARK}王`, username: "secret_admin_handle" });
  member = stage.sim.user({ first_name: `${MARK}成员`, last_name: `${MARK}李` });
  group = stage.sim.group({ title: `${MARK}红星村`, admins: [admin], members: [member] });
  stage.sim.addBot(group, { by: admin, asAdmin: true });
  await stage.sim.waitForBotMessage(group, (m) => text(m).includes("三学助手"));
}, 90_000);

afterAll(async () => {
  await stage?.close();
});

describe("logs carry ids and counts, not what people wrote", () => {
  it("at LOG_LEVEL=trace, messages, names, leave reasons and questions never reach the process's output", async () => {
    await stage.sim.send(member, group, `${MARK}消息：今天地里的活忙完了`);
    let before = stage.sim.messages(group).at(-1);
    await stage.sim.send(member, group, `/leave ${MARK}理由：在外务工`);
    await stage.sim.waitForBotMessage(group, () => true, { after: before });

    before = stage.sim.messages(group).at(-1);
    const asked = await stage.sim.send(member, group, `/ask ${MARK}问题：大棚的黄瓜叶子发黄怎么办`);
    const picker = await stage.sim.waitForBotMessage(group, (m) => m.reply_to_message_id === asked.message_id, { after: before });
    await stage.sim.press(member, picker, "实用技术");
    // the refusal from Telegram (chat not found) for the card that holds the question, the name and the group's title
    await stage.bot.waitForLog(/could not post a question to the experts' chat/, 30_000);
    await stage.bot.waitForLog(/question asked/, 30_000);
    expect(await stage.bot.stop()).toBe(0);

    const all = stage.bot.logs.join("\n");
    expect(stage.bot.logs.length).toBeGreaterThan(10); // trace: every update was logged about
    expect(all).toContain('"error_code":400'); // the refusal is there, with its code...
    expect(all).not.toContain(MARK); // ...but nothing anybody wrote or is called
    expect(all).not.toContain("secret_admin_handle");
    expect(all).not.toContain("黄瓜");
    expect(all).not.toContain("在外务工");
  }, 120_000);
});
