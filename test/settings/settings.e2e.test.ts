import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api } from "grammy";
import { startStage, type Stage } from "../support/scene.js";
import type { SimChat, SimMessage, SimUser } from "../../tools/simulator/index.js";

let stage: Stage;
let admin: SimUser;
let member: SimUser;
let group: SimChat;

const hasButton = (label: string) => (m: SimMessage) => Boolean(m.reply_markup?.inline_keyboard.flat().some((b) => b.text === label));

/** Sends a command and waits for the bot's next message in that chat. */
async function ask(from: SimUser, chat: SimChat, text: string, match: (m: SimMessage) => boolean = () => true): Promise<SimMessage> {
  const before = stage.sim.messages(chat).at(-1);
  await stage.sim.send(from, chat, text);
  return stage.sim.waitForBotMessage(chat, match, { after: before });
}

const current = (chat: SimChat, m: SimMessage) => stage.sim.messages(chat).find((x) => x.message_id === m.message_id)!;

beforeAll(async () => {
  stage = await startStage();
  admin = stage.sim.user({ first_name: "王书记" });
  member = stage.sim.user({ first_name: "李明" });
  group = stage.sim.group({ title: "红星村学习群", admins: [admin], members: [member] });
  stage.sim.addBot(group, { by: admin, asAdmin: true });
  await stage.sim.waitForBotMessage(group, (m) => (m.text ?? "").includes("三学助手"));
});

afterAll(async () => {
  await stage?.close();
});

describe("/settings end to end", () => {
  it("a member's /settings is refused", async () => {
    const reply = await ask(member, group, "/settings");
    expect(reply.text).toContain("管理员");
    expect(reply.reply_markup).toBeUndefined();
  });

  it("a member pressing a settings button is refused and nothing changes", async () => {
    const settings = await ask(admin, group, "/settings", hasButton("English"));
    const answer = await stage.sim.press(member, settings, "English");
    expect(answer?.text).toContain("管理员");
    expect(current(group, settings).edits).toBe(0);
    const help = await ask(member, group, "/help");
    expect(help.text).toContain("可用命令");
  });

  it("forged presses (another group, unknown zone, other topic) get a clear answer and change nothing", async () => {
    const settings = stage.sim.botMessages(group).filter(hasButton("English")).at(-1)!;
    for (const data of [`st:-100999:l:en`, `st:${group.id}:z:99`, `st:${group.id}:l:fr`, `st:${group.id}:p:5`, `st:${group.id}:t:astrology`]) {
      const answer = await stage.sim.pressForged(admin, settings, data);
      expect(answer?.text, data).toContain("失效");
    }
    expect(current(group, settings).edits).toBe(0);
  });

  it("switching to English re-renders the settings in English and /help is English afterwards", async () => {
    const settings = stage.sim.botMessages(group).filter(hasButton("English")).at(-1)!;
    const answer = await stage.sim.press(admin, settings, "English");
    expect(answer?.text).toBe("Saved.");
    const edited = current(group, settings);
    expect(edited.text).toContain("Settings");
    expect(edited.text).toContain("Language: English");
    expect(hasButton("✓ English")(edited)).toBe(true);
    const help = await ask(member, group, "/help");
    expect(help.text).toContain("Sanxue · commands");
  });

  it("time zone by button, and typed with validation", async () => {
    const settings = stage.sim.botMessages(group).filter(hasButton("✓ English")).at(-1)!;
    await stage.sim.press(admin, settings, "London");
    expect(current(group, settings).text).toContain("Time zone: Europe/London");
    const bad = await ask(admin, group, "/settings tz Mars/Olympus_Mons");
    expect(bad.text).toContain("not a valid time zone");
    const good = await ask(admin, group, "/settings tz asia/tokyo");
    expect(good.text).toContain("Asia/Tokyo");
    const schedule = await ask(member, group, "/schedule");
    expect(schedule.text).toContain("time zone: Asia/Tokyo");
  });

  it("a track switched off is not pushed, and switched on again it is", async () => {
    const settings = await ask(admin, group, "/settings", hasButton("✅ Practical technology"));
    await stage.sim.press(admin, settings, "✅ Practical technology");
    expect(hasButton("⛔ Practical technology")(current(group, settings))).toBe(true);
    const refused = await ask(admin, group, "/push technology");
    expect(refused.text).toContain("switched off");
    await stage.sim.press(admin, current(group, settings), "⛔ Practical technology");
    const lesson = await ask(admin, group, "/push technology", (m) => Boolean(m.reply_markup));
    expect(lesson.text).toContain("Practical technology");
    // Back to Chinese for the tests below.
    await stage.sim.press(admin, current(group, settings), "中文");
    expect(current(group, settings).text).toContain("本群设置");
  });

  it("the town is typed: bad names are refused and change nothing, a member may not, \"-\" clears it", async () => {
    expect((await ask(admin, group, "/settings", hasButton("✓ 中文"))).text).toContain("所属乡镇：未设置");
    for (const bad of ["<b>红星</b>", "镇".repeat(31)]) {
      expect((await ask(admin, group, `/settings town ${bad}`)).text).toContain("乡镇名不能为空，最多 30 个字");
    }
    expect((await ask(member, group, "/settings town 青山镇")).text).toContain("只有本群管理员");
    expect((await ask(admin, group, "/settings", hasButton("✓ 中文"))).text).toContain("所属乡镇：未设置");
    expect((await ask(admin, group, "/settings town  红星  镇 ")).text).toContain("所属乡镇已设为 红星 镇");
    expect((await ask(admin, group, "/settings", hasButton("✓ 中文"))).text).toContain("所属乡镇：红星 镇");
    expect((await ask(admin, group, "/settings town -")).text).toContain("已清除所属乡镇");
    expect((await ask(admin, group, "/settings", hasButton("✓ 中文"))).text).toContain("所属乡镇：未设置");
  });
});

describe("/schedule end to end", () => {
  it("anyone sees the schedule in words with the next push; only admins get the change button", async () => {
    const view = await ask(member, group, "/schedule");
    expect(view.text).toContain("党章学习：每周一 20:00");
    expect(view.text).toContain("下次推送");
    expect(view.text).toContain("周报：每周一 08:00");
    expect(view.reply_markup).toBeUndefined();
  });

  it("a member pressing the change button is refused and nothing changes", async () => {
    const view = await ask(admin, group, "/schedule", hasButton("✏️ 修改推送时间"));
    const answer = await stage.sim.press(member, view, "✏️ 修改推送时间");
    expect(answer?.text).toContain("管理员");
    expect(current(group, view).edits).toBe(0);
  });

  it("an admin changes a track's days and time with buttons; /schedule shows it", async () => {
    const view = await ask(admin, group, "/schedule", hasButton("✏️ 修改推送时间"));
    for (const label of ["✏️ 修改推送时间", "政策理论", "周二", "周四", "周六", "✓ 周六", "下一步 ➡️", "19"]) {
      const answer = await stage.sim.press(admin, current(group, view), label);
      expect(answer, label).not.toBeNull();
    }
    const saved = await stage.sim.press(admin, current(group, view), "19:30");
    expect(saved?.text).toContain("每周二、周四 19:30");
    expect(current(group, view).text).toContain("政策理论：每周二、周四 19:30");
    // The final press again (a double tap, or a forged one) finds the flow finished.
    const again = await stage.sim.pressForged(admin, current(group, view), `sc:${group.id}:m:30`);
    expect(again?.text).toContain("过期");
    const fresh = await ask(member, group, "/schedule");
    expect(fresh.text).toContain("政策理论：每周二、周四 19:30");
    expect(fresh.text).toContain("党章学习：每周一 20:00");
  });

  it("next without a day asks for one; cancel leaves the schedule as it was", async () => {
    const view = await ask(admin, group, "/schedule", hasButton("✏️ 修改推送时间"));
    await stage.sim.press(admin, view, "✏️ 修改推送时间");
    await stage.sim.press(admin, current(group, view), "党章学习");
    const noDay = await stage.sim.press(admin, current(group, view), "下一步 ➡️");
    expect(noDay?.text).toContain("至少选择一天");
    const cancelled = await stage.sim.press(admin, current(group, view), "✖️ 取消");
    expect(cancelled?.text).toContain("已取消");
    expect(current(group, view).text).toContain("党章学习：每周一 20:00");
  });

  it("presses out of step or for another group are refused", async () => {
    const view = await ask(admin, group, "/schedule", hasButton("✏️ 修改推送时间"));
    await stage.sim.press(admin, view, "✏️ 修改推送时间");
    const outOfStep = await stage.sim.pressForged(admin, current(group, view), `sc:${group.id}:m:15`);
    expect(outOfStep?.text).toContain("过期");
    const otherGroup = await stage.sim.pressForged(admin, current(group, view), `sc:-100999:t:policy`);
    expect(otherGroup?.text).toContain("过期");
    expect(current(group, view).text).toContain("要修改哪一类课程");
  });
});

describe("/role and secretaries' lessons end to end", () => {
  let secretary: SimUser;
  let absent: SimUser;

  it("/role secretary as a reply marks secretaries; one who never started the bot is flagged", async () => {
    secretary = stage.sim.user({ first_name: "赵书记" });
    absent = stage.sim.user({ first_name: "张华" });
    stage.sim.join(group, secretary);
    stage.sim.join(group, absent);
    await stage.sim.startPrivate(secretary);
    await stage.sim.waitForBotMessage(stage.sim.privateChat(secretary));
    const fromSecretary = await stage.sim.send(secretary, group, "大家好");
    const fromAbsent = await stage.sim.send(absent, group, "收到");
    let before = stage.sim.messages(group).at(-1);
    await stage.sim.send(admin, group, "/role secretary", { replyTo: fromSecretary });
    const set = await stage.sim.waitForBotMessage(group, () => true, { after: before });
    expect(set.text).toContain("已将 赵书记 设为本群支部书记");
    before = stage.sim.messages(group).at(-1);
    await stage.sim.send(admin, group, "/role secretary", { replyTo: fromAbsent });
    const flagged = await stage.sim.waitForBotMessage(group, () => true, { after: before });
    expect(flagged.text).toContain("张华 还没有私聊过我");
    const list = await ask(admin, group, "/role");
    expect(list.text).toContain("2 位");
    expect(list.text).toContain("赵书记");
  });

  it("/role without a reply, and by a member, change nothing", async () => {
    expect((await ask(admin, group, "/role secretary")).text).toContain("回复");
    expect((await ask(member, group, "/role")).text).toContain("管理员");
  });

  it("a secretaries' lesson reaches the secretary privately; the admin hears who was missed", async () => {
    await ask(admin, group, "/push policy", (m) => Boolean(m.reply_markup)); // the fixture's first policy lesson
    const answer = await ask(admin, group, "/push policy");
    expect(answer.text).toContain("1/2 位书记");
    // Who was missed is the organiser's to know, privately: the group hears a count and gets a deep link.
    expect(answer.text).toContain("有 1 位书记没有收到");
    expect(answer.text).not.toContain("张华");
    expect(answer.reply_markup?.inline_keyboard.flat().some((b) => "url" in b && String(b.url).includes("?start=secretaries_"))).toBe(true);
    const inPrivate = await stage.sim.waitForBotMessage(stage.sim.privateChat(secretary), (m) => (m.text ?? "").includes("支部书记工作要点"));
    expect(inPrivate.text).toContain("红星村学习群");
    const studied = await stage.sim.press(secretary, inPrivate, "已学习 ✓");
    expect(studied?.text).toContain("已记录");
    expect(stage.sim.botMessages(group).some((m) => (m.text ?? "").includes("带头学习"))).toBe(false);
  });

  it("/role member as a reply removes the role", async () => {
    const fromAbsent = stage.sim.messages(group).find((m) => m.text === "收到")!;
    const before = stage.sim.messages(group).at(-1);
    await stage.sim.send(admin, group, "/role member", { replyTo: fromAbsent });
    const unset = await stage.sim.waitForBotMessage(group, () => true, { after: before });
    expect(unset.text).toContain("已取消 张华");
    expect((await ask(admin, group, "/role")).text).toContain("1 位");
  });
});

describe("forum groups: the lessons topic", () => {
  it("/settings sent in a topic offers it; an admin's press makes lessons go there, a member's does not", async () => {
    const forum = stage.sim.group({ title: "青山社区学习群", is_forum: true, admins: [admin], members: [member] });
    stage.sim.addBot(forum, { by: admin, asAdmin: true });
    await stage.sim.waitForBotMessage(forum, (m) => (m.text ?? "").includes("三学助手"));
    // Organisers make a topic in the Telegram app; here the Bot API stands in for them.
    const topic = await new Api(stage.sim.token, { apiRoot: stage.sim.apiRoot }).createForumTopic(forum.id, "学习园地");
    const thread = topic.message_thread_id;
    const before = stage.sim.messages(forum).at(-1);
    await stage.sim.send(admin, forum, "/settings", { threadId: thread });
    const settings = await stage.sim.waitForBotMessage(forum, hasButton("📌 课程推送到这个话题"), { after: before });
    expect(settings.message_thread_id).toBe(thread);
    expect((await stage.sim.press(member, settings, "📌 课程推送到这个话题"))?.text).toContain("管理员");
    expect(current(forum, settings).edits).toBe(0);
    expect((await stage.sim.pressForged(admin, settings, `st:${forum.id}:p:${thread + 1}`))?.text).toContain("失效");
    expect((await stage.sim.press(admin, settings, "📌 课程推送到这个话题"))?.text).toBe("已保存。");
    expect(current(forum, settings).text).toContain(`话题 #${thread}`);
    expect(hasButton("📌 当前话题（已选）")(current(forum, settings))).toBe(true);
    const pushedAfter = stage.sim.messages(forum).at(-1);
    await stage.sim.send(admin, forum, "/push technology");
    const lesson = await stage.sim.waitForBotMessage(forum, (m) => Boolean(m.reply_markup?.inline_keyboard.flat().some((b) => b.text === "已学习 ✓")), { after: pushedAfter });
    expect(lesson.message_thread_id).toBe(thread);
  });
});
