import { fileURLToPath } from "node:url";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Api } from "grammy";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SCHEDULE } from "../../src/content/index.js";
import { createGroupsRepository, type GroupInfo } from "../../src/groups/index.js";
import { createLessonsRepository } from "../../src/lessons/index.js";
import type { SimChat, SimMessage, SimUser } from "../../tools/simulator/index.js";
import { cronAt, outboxDepth } from "../outbox/fanout.js";
import { FIXTURE_CONTENT, startStage, type Stage } from "../support/scene.js";
import { waitFor } from "../support/wait-for.js";

let stage: Stage;
let redis: Redis;
let content: string;
const lessonWithButtons = (m: SimMessage) => Boolean(m.reply_markup?.inline_keyboard?.length);

beforeAll(async () => {
  // The fixture curriculum, its first technology lesson with a picture.
  content = mkdtempSync(join(tmpdir(), "sanxue-pushfail-"));
  cpSync(FIXTURE_CONTENT, content, { recursive: true });
  mkdirSync(join(content, "images"));
  // A real PNG: the content check reads a picture's first bytes.
  cpSync(fileURLToPath(new URL("../../content/images/drip-line.png", import.meta.url)), join(content, "images/seeds.png"));
  const seeds = join(content, "lessons/technology/01-seeds.md");
  writeFileSync(seeds, readFileSync(seeds, "utf8").replace("order: 1\n", "order: 1\nimage: images/seeds.png\n"));
  stage = await startStage({ env: { CONTENT_DIR: content } });
  redis = new Redis(stage.redis.url, { protocol: 2 });
});

afterAll(async () => {
  await redis?.quit();
  await stage?.close();
  rmSync(content, { recursive: true, force: true });
});

/** A group whose organiser started the bot, registered with one technology slot in two seconds. */
async function scheduledGroup(title: string, opts: { forum?: boolean; botAdmin?: boolean } = {}) {
  const { sim } = stage;
  const admin = sim.user({ first_name: `${title}管理员` });
  const chat = sim.group({ title, is_forum: opts.forum, admins: [admin] });
  sim.state.chats.get(chat.id)?.members.set(sim.bot.id, { status: opts.botAdmin ? "administrator" : "member", since: Date.now() - 60_000 });
  const hello = await sim.startPrivate(admin);
  await sim.waitForBotMessage(sim.privateChat(admin), () => true, { after: hello, timeout: 20_000 });
  let topicId: number | undefined;
  if (opts.forum) topicId = (await new Api(sim.token, { apiRoot: sim.apiRoot }).createForumTopic(chat.id, "三学课堂")).message_thread_id;
  const group: GroupInfo = {
    id: chat.id, title, type: "supergroup", isForum: opts.forum ?? false, active: true, locale: "zh", timeZone: "UTC",
    registeredAt: Date.now() - 60_000, tracksOff: [], scheduleUpdatedAt: Date.now() - 60_000,
    schedule: { ...structuredClone(DEFAULT_SCHEDULE), signin_with_lesson: 0, lessons: [{ track: "technology", cron: cronAt(Date.now() + 2500) }] },
    ...(topicId !== undefined ? { topicId } : {}),
  };
  return { admin, chat, group, topicId };
}

const save = (group: GroupInfo) => createGroupsRepository(redis).save(group);
const techPosition = async (chat: SimChat) => (await createLessonsRepository(redis).positions(chat.id))["technology"] ?? 0;
const fixNotice = (admin: SimUser, text: string) =>
  stage.sim.waitForBotMessage(stage.sim.privateChat(admin), (m) => (m.text ?? "").includes(text), { timeout: 30_000, message: `no notice "${text}"` });

async function settled(): Promise<void> {
  await waitFor(async () => (await outboxDepth(stage.redis.url)) === 0, { timeout: 30_000, interval: 150, message: "the outbox empty" });
}

describe("a scheduled lesson Telegram refuses is not silently skipped", () => {
  it("no right to send photos: the text goes without the picture, says so, and the organiser is told to allow photos", async () => {
    const { sim } = stage;
    const { admin, chat, group } = await scheduledGroup("无图村");
    sim.setChatPermissions(chat, { can_send_photos: false });
    await save(group);
    const lesson = await sim.waitForBotMessage(chat, lessonWithButtons, { timeout: 30_000 });
    expect(lesson.text).toContain("选种");
    expect(lesson.text).toContain("配图没能发出");
    expect(sim.botMessages(chat).some((m) => m.photo)).toBe(false);
    const notice = await fixNotice(admin, "允许发送图片");
    expect(notice.text).toContain("无图村");
    expect(notice.text).toContain("已经发出");
    expect(await techPosition(chat)).toBe(1);
  }, 60_000);

  it("a closed topic: the lesson goes to the group with a notice, the topic is kept, the organiser is told to reopen it", async () => {
    const { sim } = stage;
    const { admin, chat, group, topicId } = await scheduledGroup("话题关闭村", { forum: true, botAdmin: true });
    sim.closeTopic(chat, topicId ?? 0, admin);
    sim.setBotRights(chat, { can_manage_topics: false });
    await save(group);
    const lesson = await sim.waitForBotMessage(chat, lessonWithButtons, { timeout: 30_000 });
    expect(lesson.message_thread_id).toBeUndefined();
    expect(lesson.text).toContain("课程话题已关闭");
    await fixNotice(admin, "重新打开");
    expect((await createGroupsRepository(redis).get(chat.id))?.topicId).toBe(topicId);
  }, 60_000);

  it("a deleted topic: the lesson goes to the group with a notice and the organiser is told to choose a topic in /settings", async () => {
    const { sim } = stage;
    const { admin, chat, group, topicId } = await scheduledGroup("话题删除村", { forum: true, botAdmin: true });
    sim.deleteTopic(chat, topicId ?? 0);
    await save(group);
    const lesson = await sim.waitForBotMessage(chat, lessonWithButtons, { timeout: 30_000 });
    expect(lesson.message_thread_id).toBeUndefined();
    expect(lesson.text).toContain("课程话题已被删除");
    const notice = await fixNotice(admin, "/settings");
    expect(notice.text).toContain("已被删除");
    expect((await createGroupsRepository(redis).get(chat.id))?.topicId).toBeUndefined();
  }, 60_000);

  it("a text Telegram finds too long: sent again in shorter parts, the organiser is told to shorten the file", async () => {
    const { sim } = stage;
    await settled();
    const { admin, chat, group } = await scheduledGroup("太长村");
    sim.faults.push({ method: "sendMessage", times: 1, kind: "400", description: "message is too long" });
    await save(group);
    const lesson = await sim.waitForBotMessage(chat, lessonWithButtons, { timeout: 30_000 });
    const text = sim.botMessages(chat).map((m) => m.text ?? "").join("");
    expect(text).toContain("选好种子是丰收的第一步");
    expect(lesson.text).toBeDefined();
    await fixNotice(admin, "lessons/technology/01-seeds.md");
    expect(await techPosition(chat)).toBe(1);
  }, 60_000);

  it("any other refusal: nothing sent, the track stays on the lesson, the next slot sends it, the organiser is told", async () => {
    const { sim } = stage;
    await settled();
    const { admin, chat, group } = await scheduledGroup("拒绝村");
    sim.faults.push({ method: "sendPhoto", times: 1, kind: "400", description: "CHAT_SEND_PLAIN_FORBIDDEN" });
    await save(group);
    const notice = await fixNotice(admin, "没有发出");
    expect(notice.text).toContain("拒绝村");
    expect(sim.botMessages(chat).filter(lessonWithButtons)).toEqual([]);
    // The position is given back right after the organisers were told.
    await waitFor(async () => (await techPosition(chat)) === 0, { message: "the technology position given back" });
    expect(await techPosition(chat)).toBe(0);
    // The next slot brings the same lesson, not the one after it.
    await save({ ...group, schedule: { ...group.schedule, lessons: [{ track: "technology", cron: cronAt(Date.now() + 2500) }] }, scheduleUpdatedAt: Date.now() - 1000 });
    const lesson = await sim.waitForBotMessage(chat, lessonWithButtons, { timeout: 30_000 });
    expect(lesson.text).toContain("选种");
    expect(await techPosition(chat)).toBe(1);
  }, 90_000);
});
