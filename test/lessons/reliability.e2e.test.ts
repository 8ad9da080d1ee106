import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStage, type Stage } from "../support/scene.js";
import type { SimChat, SimMessage, SimUser } from "../../tools/simulator/index.js";
import { waitFor } from "../support/wait-for.js";

let stage: Stage;
let admin: SimUser;
let members: SimUser[];
let group: SimChat;
let lesson: SimMessage;

const hasButtons = (m: SimMessage) => Boolean(m.reply_markup?.inline_keyboard?.length);

beforeAll(async () => {
  // Presses are answered within Telegram's 15 s (one waiting for Redis gets "busy" at 10 s).
  stage = await startStage({ simulator: { pressTimeoutMs: 15_000 } });
  admin = stage.sim.user({ first_name: "管理员" });
  members = ["甲", "乙", "丙", "丁"].map((n) => stage.sim.user({ first_name: n }));
  group = stage.sim.group({ title: "可靠村", admins: [admin], members });
  stage.sim.addBot(group, { by: admin, asAdmin: true });
  await stage.sim.waitForBotMessage(group);
});

afterAll(async () => {
  await stage?.close();
});

describe("nothing acknowledged is lost", () => {
  it("a 429 from Telegram is waited out and the lesson still arrives", async () => {
    const fault = { method: "sendMessage", times: 2, kind: "429" as const, retryAfter: 1 };
    stage.sim.faults.push(fault);
    const after = stage.sim.messages(group).at(-1);
    await stage.sim.send(admin, group, "/push technology");
    lesson = await stage.sim.waitForBotMessage(group, hasButtons, { after, timeout: 10_000 });
    expect(fault.times).toBe(0); // both 429s were served, and waited out
    expect(stage.sim.botMessages(group).filter(hasButtons).length).toBe(1);
  });

  it("a Studied mark survives a hard Redis crash, and presses during the outage get an answer", async () => {
    const [a, b, c] = members as [SimUser, SimUser, SimUser];
    expect((await stage.sim.press(a, lesson, "已学习 ✓"))?.text).toContain("已记录");

    await stage.redis.stop({ hard: true });
    const during = await stage.sim.press(b, lesson, "已学习 ✓");

    expect(during?.text ?? "").not.toBe("");
    expect(during?.text).not.toContain("已记录");

    await stage.redis.start();
    // the bot reconnects by itself
    let again = "";
    await waitFor(async () => (again = (await stage.sim.press(c, lesson, "已学习 ✓"))?.text ?? "").includes("已记录"), {
      timeout: 15_000,
      interval: 300,
      message: "a press recorded after Redis is back",
    });
    expect(again).toContain("已记录");
    expect((await stage.sim.press(a, lesson, "已学习 ✓"))?.text).toContain("已经记录过");
  });

  it("after the bot is killed and restarted, earlier marks still count and new ones work", async () => {
    const [a, , , d] = members as [SimUser, SimUser, SimUser, SimUser];
    await stage.bot.kill();
    await stage.startAnotherBot();
    expect((await stage.sim.press(a, lesson, "已学习 ✓"))?.text).toContain("已经记录过");
    expect((await stage.sim.press(d, lesson, "已学习 ✓"))?.text).toContain("已记录");
  });

  it("/lessons in private offers the lessons a member has not marked studied", async () => {
    const d = members[3] as SimUser;
    const b = stage.sim.user({ first_name: "戊" });
    stage.sim.join(group, b);
    await stage.sim.startPrivate(b);
    const chat = stage.sim.privateChat(b);
    const after = await stage.sim.waitForBotMessage(chat); // the welcome
    await stage.sim.send(b, chat, "/lessons");
    const list = await stage.sim.waitForBotMessage(chat, hasButtons, { after });
    expect(list.reply_markup?.inline_keyboard.flat().map((x) => x.text).join()).toContain("选种");
    await stage.sim.press(b, list, list.reply_markup?.inline_keyboard[0]?.[0]?.text ?? "");
    const copy = await stage.sim.waitForBotMessage(chat, (m) => hasButtons(m) && (m.text ?? "").includes("选种"), { after: list });
    expect((await stage.sim.press(b, copy, "已学习 ✓"))?.text).toContain("已记录");
    // the mark counts for the group: pressing under the group's message is now "already"
    expect((await stage.sim.press(b, lesson, "已学习 ✓"))?.text).toContain("已经记录过");

    await stage.sim.startPrivate(d);
    const dChat = stage.sim.privateChat(d);
    const dAfter = await stage.sim.waitForBotMessage(dChat);
    await stage.sim.send(d, dChat, "/lessons");
    const none = await stage.sim.waitForBotMessage(dChat, () => true, { after: dAfter });
    expect(none.text).toContain("学完");
  });
});

describe("private chat", () => {
  it("plain words no feature takes get a short hint", async () => {
    const stranger = stage.sim.user({ first_name: "路人" });
    await stage.sim.startPrivate(stranger);
    const chat = stage.sim.privateChat(stranger);
    const welcome = await stage.sim.waitForBotMessage(chat);
    await stage.sim.send(stranger, chat, "你好，请问怎么用？");
    const hint = await stage.sim.waitForBotMessage(chat, () => true, { after: welcome });
    expect(hint.text).toContain("/help");
  });
});
