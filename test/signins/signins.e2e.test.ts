import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { startStage, type Stage } from "../support/scene.js";
import type { SimChat, SimMessage, SimUser } from "../../tools/simulator/index.js";

let stage: Stage;
let admin: SimUser;
let group: SimChat;
let crowd: SimUser[];
let absentee: SimUser;
let excusedEarly: SimUser;
let excusedDuring: SimUser;
let viaCommand: SimUser;
let signinMessage: SimMessage;
let signinData: string;

const BUTTON = "签到 ✋";
const hasSigninButton = (m: SimMessage) =>
  Boolean(m.reply_markup?.inline_keyboard.flat().some((b) => b.text === BUTTON));
const textOf = (m: SimMessage | undefined) => m?.text ?? "";

async function say(from: SimUser, chat: SimChat, text: string): Promise<SimMessage> {
  const before = stage.sim.messages(chat).at(-1);
  await stage.sim.send(from, chat, text);
  return stage.sim.waitForBotMessage(chat, () => true, { after: before });
}

beforeAll(async () => {
  stage = await startStage();
  admin = stage.sim.user({ first_name: "王书记" });
  absentee = stage.sim.user({ first_name: "赵六" });
  excusedEarly = stage.sim.user({ first_name: "孙七" });
  excusedDuring = stage.sim.user({ first_name: "周八" });
  viaCommand = stage.sim.user({ first_name: "吴九" });
  crowd = Array.from({ length: 30 }, (_, i) => stage.sim.user({ first_name: `村民${i + 1}` }));
  group = stage.sim.group({
    title: "红星村学习群",
    admins: [admin],
    members: [absentee, excusedEarly, excusedDuring, viaCommand, ...crowd],
  });
  stage.sim.addBot(group, { by: admin, asAdmin: true });
  await stage.sim.waitForBotMessage(group, (m) => textOf(m).includes("三学助手"));
  await stage.sim.startPrivate(admin);
});

afterAll(async () => {
  await stage?.close();
});

describe("sign-ins end to end", () => {
  it("a member calling /open_signin is refused and nothing opens", async () => {
    await say(absentee, group, "/join"); // 赵六 is on the roster before the session opens
    const reply = await say(absentee, group, "/open_signin 30 冒名签到");
    expect(reply.text).toContain("管理员");
    expect(stage.sim.botMessages(group).some(hasSigninButton)).toBe(false);
  });

  it("bad minutes get a clear answer", async () => {
    expect((await say(admin, group, "/open_signin 0")).text).toContain("1 到 1440");
    expect((await say(admin, group, "/open_signin 1441 周会")).text).toContain("1 到 1440");
    expect(stage.sim.botMessages(group).some(hasSigninButton)).toBe(false);
  });

  it("/leave with no session open excuses the member from the next one", async () => {
    expect((await say(excusedEarly, group, "/leave")).text).toContain("原因");
    expect((await say(excusedEarly, group, "/leave 在外务工")).text).toContain("下一次签到");
  });

  it("an administrator opens a sign-in with a button and a live count", async () => {
    const before = stage.sim.messages(group).at(-1);
    await stage.sim.send(admin, group, "/open_signin 20 周三学习会");
    signinMessage = await stage.sim.waitForBotMessage(group, hasSigninButton, { after: before });
    expect(signinMessage.text).toContain("周三学习会");
    expect(signinMessage.text).toContain("已签到：0 人");
    const button = signinMessage.reply_markup?.inline_keyboard[0]?.[0];
    signinData = button && "callback_data" in button ? (button.callback_data ?? "") : "";
    expect(signinData).toMatch(/^si:\d+$/);
    const again = await say(admin, group, "/open_signin 10 第二个");
    expect(again.text).toContain("已经有一个进行中的签到");
  });

  it("a burst of 30 presses counts 30 and becomes far fewer than 30 edits", async () => {
    const answers = await Promise.all(crowd.map((u) => stage.sim.press(u, signinMessage, BUTTON)));
    for (const a of answers) expect(a?.text).toContain("签到成功");
    const live = await stage.sim.waitFor(
      () =>
        stage.sim
          .botMessages(group)
          .find((m) => m.message_id === signinMessage.message_id && textOf(m).includes("已签到：30 人")),
      { timeout: 20_000, message: "the live count never showed 30" },
    );
    expect(live.edits).toBeGreaterThan(0);
    expect(live.edits).toBeLessThan(30);
    expect(live.edits).toBeLessThanOrEqual(3); // one at once, one trailing after the 5 s window (plus one on a slow machine)
    expect(hasSigninButton(live)).toBe(true);
  });

  it("pressing twice does not count twice", async () => {
    const again = await stage.sim.press(crowd[0] as SimUser, signinMessage, BUTTON);
    expect(again?.text).toContain("已经签到过");
  });

  it("/signin does the same as the button", async () => {
    expect((await say(viaCommand, group, "/signin")).text).toContain("签到成功");
    expect((await say(viaCommand, group, "/signin")).text).toContain("已经签到过");
  });

  it("/leave during the session marks the member excused", async () => {
    expect((await say(excusedDuring, group, "/leave 家里有事 <今晚>")).text).toContain("已为你登记请假");
  });

  it("a forged press for an unknown session records nothing", async () => {
    const forged = await stage.sim.pressForged(absentee, signinMessage, "si:9999");
    expect(forged?.text).toContain("不存在或尚未开始");
    expect((await stage.sim.pressForged(absentee, signinMessage, "si:abc"))?.text).toContain(
      "不存在或尚未开始",
    );
  });

  it("closing shows the final numbers in the group and sends the names privately to the opener", async () => {
    const reply = await say(admin, group, "/close_signin");
    // Roster before opening: 王书记, 赵六, 孙七 (all wrote); everyone else joined the roster by signing in or asking leave.
    expect(reply.text).toContain("已签到 31 人");
    const final = await stage.sim.waitFor(() =>
      stage.sim
        .botMessages(group)
        .find((m) => m.message_id === signinMessage.message_id && textOf(m).includes("签到已结束")),
    );
    expect(final.text).toContain("已签到 31 人");
    expect(final.text).toContain("请假 2 人");
    expect(final.text).toContain("未签到 2 人");
    expect(final.text).not.toContain("赵六"); // not shamed in the group
    expect(hasSigninButton(final)).toBe(false);
    const dm = await stage.sim.waitForBotMessage(stage.sim.privateChat(admin), (m) =>
      textOf(m).includes("未签到"),
    );
    expect(dm.text).toContain("赵六");
    expect(dm.text).toContain("在外务工");
    expect(dm.text).toContain("家里有事 <今晚>");
    expect(dm.text).not.toContain("村民1、");
  });

  it("a press after closing gets a polite 'closed' and /close_signin says none is open", async () => {
    // The button is gone from the message; a client that still shows it sends the same data.
    const late = await stage.sim.pressForged(absentee, signinMessage, signinData);
    expect(late?.text).toContain("已经结束");
    expect((await say(absentee, group, "/signin")).text).toContain("没有进行中的签到");
    expect((await say(admin, group, "/close_signin")).text).toContain("没有进行中的签到");
  });

  it("an opener who never started the bot is told in the group to start it", async () => {
    const newAdmin = stage.sim.user({ first_name: "钱主任" });
    const other = stage.sim.group({ title: "东风社区学习群", admins: [newAdmin], members: [absentee] });
    stage.sim.addBot(other, { by: newAdmin, asAdmin: true });
    await stage.sim.waitForBotMessage(other, (m) => textOf(m).includes("三学助手"));
    const before = stage.sim.messages(other).at(-1);
    await stage.sim.send(newAdmin, other, "/open_signin");
    const msg = await stage.sim.waitForBotMessage(other, hasSigninButton, { after: before });
    expect(msg.text).toContain("学习签到");
    await stage.sim.send(newAdmin, other, "/close_signin");
    const note = await stage.sim.waitForBotMessage(other, (m) => textOf(m).includes("请先私聊我"));
    expect(note.text).toContain("钱主任");
  });

  it("with signin_with_lesson set, a pushed lesson opens a sign-in titled after it", async () => {
    const redis = new Redis(stage.redis.url);
    const key = `sx:{g${group.id}}:group`;
    const stored = JSON.parse((await redis.get(key)) ?? "{}") as { schedule: { signin_with_lesson: number } };
    stored.schedule.signin_with_lesson = 45;
    await redis.set(key, JSON.stringify(stored));
    await redis.quit();
    const before = stage.sim.messages(group).at(-1);
    await stage.sim.send(admin, group, "/push technology");
    const signin = await stage.sim.waitForBotMessage(group, hasSigninButton, { after: before });
    expect(signin.text).toContain("选种");
    expect(signin.text).toContain("45 分钟");
    expect((await stage.sim.press(absentee, signin, BUTTON))?.text).toContain("签到成功");
  });
});
