import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimChat, SimMessage, SimUser, Simulator } from "../../../tools/simulator/index.js";
import { lessonRef } from "../../../src/lessons/index.js";
import { weekIdAt } from "../../../src/shared/week.js";
import { manualClock, tickUntilIdle, type InProcess } from "../../support/in-process.js";
import { startAppStage, type AppStage } from "../../support/stage.js";
import { waitFor } from "../../support/wait-for.js";
import { authoringSteps, has } from "../../support/authoring.js";
import { FIXTURE_CONTENT } from "../../support/scene.js";
import { loadCurriculum } from "../../../src/content/index.js";

// Friday 2026-11-27; the fixture's constitution slot is Monday 20:00 Shanghai (12:00 UTC).
const SLOT = Date.parse("2026-11-30T12:00:00Z");
const clock = manualClock(SLOT - 3 * 86_400_000);

let stage: AppStage;
let sim: Simulator;
let app: InProcess;
let county: SimUser;
let groupOrganiser: SimUser;
let adminA: SimUser;
let li: SimUser;
let groupA: SimChat;
let groupB: SimChat;

const withButtons = (m: SimMessage) => Boolean(m.reply_markup?.inline_keyboard?.length);
let dm: (u: SimUser) => SimChat;
let step: ReturnType<typeof authoringSteps>["step"];
let lastFromBot: ReturnType<typeof authoringSteps>["lastFromBot"];
let writeLesson: ReturnType<typeof authoringSteps>["writeLesson"];

/** The bot's messages in `chat` after `after`. */
const since = (chat: SimChat, after: number) => sim.botMessages(chat).filter((m) => m.message_id > after);

beforeAll(async () => {
  stage = await startAppStage();
  sim = stage.sim;
  ({ dm, step, lastFromBot, writeLesson } = authoringSteps(sim));
  county = sim.user({ first_name: "县委组织部" });
  groupOrganiser = sim.user({ first_name: "青山书记" });
  adminA = sim.user({ first_name: "红星书记" });
  li = sim.user({ first_name: "李明" });
  app = await stage.app({ clock, run: { updates: true }, env: { ORGANIZER_IDS: String(county.id) } });
  groupA = sim.group({ title: "红星村", type: "supergroup", admins: [adminA], members: [li] });
  groupB = sim.group({ title: "青山村", type: "supergroup", admins: [groupOrganiser] });
  for (const g of [groupA, groupB]) {
    sim.addBot(g, { by: g === groupA ? adminA : groupOrganiser, asAdmin: true });
    await sim.waitForBotMessage(g, has("三学助手"));
  }
  // The group organiser has spoken in their group (the roster knows them); li is a member who started the bot.
  await sim.send(groupOrganiser, groupB, "大家好");
  await waitFor(async () => (await app.services.groups.groupsOf(groupOrganiser.id)).includes(groupB.id), { message: "roster of 青山村" });
  for (const u of [county, groupOrganiser, li]) await step(u, () => sim.startPrivate(u), () => true);
  // Both groups have had the track's two file lessons: a new lesson is the next one.
  for (const chat of [groupA, groupB]) {
    const group = await app.services.groups.get(chat.id);
    if (!group) throw new Error("group not registered");
    for (let i = 0; i < 2; i++) expect((await app.services.lessons.pushNext(group, "constitution")).kind).toBe("pushed");
  }
}, 60_000);

afterAll(async () => {
  await app?.close();
  await stage?.close();
});

describe("a lesson written in Telegram, end to end", () => {
  it("a member cannot use /newlesson", async () => {
    const answer = await step(li, () => sim.send(li, dm(li), "/newlesson"), () => true);
    expect(answer.text).toContain("只有县级组织者和学习群的组织者可以编写课程");
    expect(await app.services.authoring.hasDraft(li.id)).toBe(false);
  });

  it("an organiser writes a lesson with a photo and two quiz polls, previews it as members will see it, and publishes it", async () => {
    const body = "学习要点：依法治村，人人有责。详见链接";
    await writeLesson(county, {
      audience: "wl:a:all",
      title: "村规民约怎么订",
      body,
      entities: [
        { type: "bold", offset: 0, length: 4 },
        { type: "text_link", offset: body.length - 2, length: 2, url: "https://example.org/rules" },
      ],
      extras: async () => {
        await step(county, () => sim.sendPhoto(county, dm(county), { bytes: Buffer.from("a village meeting photo") }), has("已添加图片"));
        await step(county, () => sim.sendPoll(county, dm(county), { question: "村规民约由谁表决？", options: ["村民会议", "村支书一人"], correct_option_id: 0, explanation: "须经村民会议讨论通过" }), has("已添加测验题"));
        // A regular poll is not a quiz question: said so, the step asked again, nothing added.
        await step(county, () => sim.sendPoll(county, dm(county), { type: "regular", question: "开会时间？", options: ["上午", "下午"] }), has("这是普通投票"));
        await step(county, () => sim.sendPoll(county, dm(county), { question: "村规民约可以违反法律吗？", options: ["可以", "不可以"], correct_option_id: 1 }), has("2 道测验题"));
      },
    });
    const start = lastFromBot(county).message_id;
    const done = await step(county, () => sim.press(county, lastFromBot(county), "预览"), has("以上是预览"));
    const preview = since(dm(county), start);
    expect(preview.map((m) => (m.photo ? "photo" : m.poll ? "poll" : withButtons(m) ? "text+buttons" : "text"))).toEqual(["text", "photo", "text+buttons", "poll", "poll", "text+buttons"]);
    expect(preview[1]?.caption).toBe("村规民约怎么订");
    expect(preview[2]?.text).toContain("第 3 课");
    // The body keeps its formatting: bold and the link, as the same HTML a Markdown lesson is sent in.
    expect(preview[2]?.html).toContain('<b>学习要点</b>：依法治村，人人有责。详见<a href="https://example.org/rules">链接</a>');
    expect(preview[3]?.poll).toMatchObject({ question: "村规民约由谁表决？", correct_option_ids: [0], explanation: "须经村民会议讨论通过" });
    expect(done.text).toContain("全县");

    await step(county, () => sim.press(county, done, "发布"), has("已发布"));
    expect(await app.services.authoring.hasDraft(county.id)).toBe(false);
  });

  it("is pushed on the next slot to every group, its photo by the author's file_id, and its quiz scored as a file lesson's", async () => {
    const sentBefore = sim.calls.length;
    const startA = sim.botMessages(groupA).at(-1)?.message_id ?? 0;
    clock.set(SLOT + 2000);
    await tickUntilIdle(app.services);
    // (The file lessons pushed before have their quizzes due too: their polls come in between.)
    const inA = since(groupA, startA).filter((m) => !m.poll && !(m.text ?? "").includes("小测"));
    expect(inA[0]?.photo).toBeDefined();
    expect(inA[0]?.caption).toBe("村规民约怎么订");
    expect(inA[1]?.html).toContain("<b>学习要点</b>");
    expect(withButtons(inA[1] as SimMessage)).toBe(true);
    expect(since(groupB, 0).some((m) => (m.text ?? "").includes("学习要点"))).toBe(true);
    const photoSends = sim.calls.slice(sentBefore).filter((c) => c.method === "sendPhoto" && c.ok);
    expect(photoSends).toHaveLength(2);
    const authorPhoto = sim.messages(dm(county)).find((m) => !m.fromBot && m.photo)?.photo?.file_id;
    // The largest size the author's client sent; never uploaded again.
    for (const s of photoSends) {
      expect(String(s.params.photo)).toBe(authorPhoto);
      expect(Object.keys(s.params).some((k) => k.startsWith("attach:"))).toBe(false);
    }

    // The lesson's quiz, after quiz_after_minutes, as for any lesson.
    clock.advance(61 * 60_000);
    // Every quiz due by now, tick after tick (one tick stops at its time budget and gives the rest back).
    await tickUntilIdle(app.services);
    const questions = ["村规民约由谁表决？", "村规民约可以违反法律吗？"];
    const polls = since(groupA, startA).filter((m) => questions.includes(m.poll?.question ?? ""));
    expect(polls.map((m) => m.poll?.question)).toEqual(questions);
    const [first, second] = polls;
    if (!first || !second) throw new Error("no polls");
    await sim.answerPoll(li, first, [0]);
    await sim.answerPoll(li, second, [0]);
    const group = await app.services.groups.get(groupA.id);
    if (!group) throw new Error("no group");
    const row = await waitFor(async () => {
      const week = await app.services.activity.week(group.id, weekIdAt(clock.now(), group.timeZone));
      const mine = week.get(li.id);
      return (mine?.quiz_answers ?? 0) >= 2 ? mine : undefined;
    }, { message: "li's two answers scored" });
    expect(row.quiz_correct).toBe(1);
  });

  it("a group organiser's lesson reaches only their group", async () => {
    await writeLesson(groupOrganiser, { audience: "wl:a:all", title: "x", body: "x" }).then(
      () => expect.unreachable("a group organiser has no whole-county button"),
      (err: Error) => expect(err.message).toContain('no callback button "wl:a:all"'),
    );
    await step(groupOrganiser, () => sim.send(groupOrganiser, dm(groupOrganiser), "/cancel"), has("草稿已取消"));
    await writeLesson(groupOrganiser, { audience: `wl:a:${groupB.id}`, title: "青山村的护林公约", body: "护林防火，人人有责。" });
    await step(groupOrganiser, () => sim.press(groupOrganiser, lastFromBot(groupOrganiser), "预览"), has("以上是预览"));
    await step(groupOrganiser, () => sim.press(groupOrganiser, lastFromBot(groupOrganiser), "发布"), has("已发布"));

    const a = await app.services.groups.get(groupA.id);
    const b = await app.services.groups.get(groupB.id);
    if (!a || !b) throw new Error("groups");
    expect((await app.services.lessons.pushNext(a, "constitution")).kind).toBe("finished");
    const inB = await app.services.lessons.pushNext(b, "constitution");
    expect(inB.kind === "pushed" && inB.lesson.title).toBe("青山村的护林公约");
    expect(sim.botMessages(groupA).some((m) => (m.text ?? "").includes("护林"))).toBe(false);
  });

  it("another instance takes a published lesson without a restart", async () => {
    const other = await stage.app({ clock, instanceId: "other", env: { ORGANIZER_IDS: String(county.id) } });
    try {
      await writeLesson(county, { audience: "wl:a:all", title: "第二台实例也有", body: "同一课程，所有实例。" });
      await step(county, () => sim.press(county, lastFromBot(county), "预览"), has("以上是预览"));
      // Built before the publish: the other instance must reload to know the lesson.
      const ids = [...(await app.redis.hkeys("sx:written:lessons"))];
      await step(county, () => sim.press(county, lastFromBot(county), "发布"), has("已发布"));
      const id = (await app.redis.hkeys("sx:written:lessons")).find((k) => !ids.includes(k));
      if (!id) throw new Error("no new lesson stored");
      const lesson = await waitFor(() => other.services.lessons.lessonByRef(lessonRef(id)), { message: "the other instance reloaded" });
      expect(lesson.title).toBe("第二台实例也有");
    } finally {
      await other.close();
    }
  });

  it("/lessons edit: the author rewrites a published lesson in place (same id and order, quiz kept)", async () => {
    const id = (await app.redis.hkeys("sx:written:lessons")).find((k) => app.services.lessons.lessonByRef(lessonRef(k))?.title === "村规民约怎么订");
    if (!id) throw new Error("no lesson to edit");
    const order = app.services.lessons.lessonByRef(lessonRef(id))?.order;
    await step(county, () => sim.send(county, dm(county), "/lessons edit"), has("要修改哪节课"));
    await step(county, () => sim.press(county, lastFromBot(county), "党章学习 · 村规民约怎么订"), has("课程标题"));
    await step(county, () => sim.send(county, dm(county), "村规民约怎么订（修订）"), has("课程正文"));
    await step(county, () => sim.send(county, dm(county), "修订后的正文。"), has("2 道测验题"));
    await step(county, () => sim.press(county, lastFromBot(county), "预览"), has("以上是预览"));
    await step(county, () => sim.press(county, lastFromBot(county), "发布"), has("已发布"));
    const edited = app.services.lessons.lessonByRef(lessonRef(id));
    expect(edited).toMatchObject({ title: "村规民约怎么订（修订）", order, html: "修订后的正文。" });
    expect(edited?.quiz).toHaveLength(2);
  });

  it("/lessons remove: no longer pushed, still known for the history; a member has nothing to remove", async () => {
    await step(li, () => sim.send(li, dm(li), "/lessons remove"), has("没有你可以修改的"));
    await step(county, () => sim.send(county, dm(county), "/lessons remove"), has("要删除哪节课"));
    await step(county, () => sim.press(county, lastFromBot(county), "党章学习 · 第二台实例也有"), has("已删除"));
    const a = await app.services.groups.get(groupA.id);
    if (!a) throw new Error("group");
    expect((await app.services.lessons.pushNext(a, "constitution")).kind).toBe("finished");
    const id = (await app.redis.hkeys("sx:written:lessons")).find((k) => app.services.lessons.lessonByRef(lessonRef(k))?.title === "第二台实例也有");
    expect(id).toBeDefined();
  });

  it("the author picks a place: before the track's first lesson; a group already past it gets it with its next push", async () => {
    await writeLesson(county, { audience: "wl:a:all", title: "入党誓词", body: "重温入党誓词。" });
    await step(county, () => sim.press(county, lastFromBot(county), "预览"), has("以上是预览"));
    const places = await step(county, () => sim.press(county, lastFromBot(county), "换个位置"), has("放在党章学习的哪一课之前"));
    const first = (await loadCurriculum(FIXTURE_CONTENT)).byTrack.constitution[0];
    expect(places.reply_markup?.inline_keyboard.flat()[0]?.text).toBe(`放在第 1 课《${first?.title}》之前`);
    // A place that is not in the list (a forged press) changes nothing.
    expect((await sim.pressForged(county, places, "wl:o:99"))?.text).toBe("这个按钮已失效。");
    await step(county, () => sim.press(county, places, "wl:o:0"), has("这节课将是党章学习的第 1 课"));
    await step(county, () => sim.press(county, lastFromBot(county), "发布"), has("是党章学习的第 1 课"));
    const stored = (await app.redis.hvals("sx:written:lessons")).map((raw) => JSON.parse(raw) as { title: string; order: number }).find((w) => w.title === "入党誓词");
    expect(stored?.order).toBeGreaterThan(0);
    expect(stored?.order).toBeLessThan(first?.order ?? 0);
    const a = await app.services.groups.get(groupA.id);
    if (!a) throw new Error("group");
    const next = await app.services.lessons.pushNext(a, "constitution");
    expect(next.kind === "pushed" && next.lesson.title).toBe("入党誓词");
  });

  it("a draft survives a restart: the next instance takes the conversation where it was", async () => {
    await step(county, () => sim.send(county, dm(county), "/newlesson"), has("属于哪个学习方向"));
    await step(county, () => sim.press(county, lastFromBot(county), "wl:t:policy"), has("发给谁"));
    await app.close();
    app = await stage.app({ clock, instanceId: "restarted", run: { updates: true }, env: { ORGANIZER_IDS: String(county.id) } });
    await step(county, () => sim.press(county, lastFromBot(county), "wl:a:all"), has("课程标题"));
    // Bad input: the step says so and asks again, the draft unchanged.
    await step(county, () => sim.sendPhoto(county, dm(county)), has("请先发送标题和课程正文"));
    await step(county, () => sim.send(county, dm(county), "/cancel"), has("草稿已取消"));
    expect(await app.services.authoring.hasDraft(county.id)).toBe(false);
  });
});
