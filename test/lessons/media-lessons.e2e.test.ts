import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lessonRef } from "../../src/lessons/lesson-ref.js";
import type { ApiCall, SimChat, SimMessage, SimUser } from "../../tools/simulator/index.js";
import { FIXTURE_CONTENT, startStage, type Stage } from "../support/scene.js";

// The fixture curriculum with a film (technology-01), two handbook PDFs (policy-01) and a voice note
// (constitution-01), from the sample curriculum's media.
let stage: Stage;
let content: string;
let admin: SimUser;
let member: SimUser;
let groupA: SimChat;
let groupB: SimChat;

const SAMPLE_MEDIA = fileURLToPath(new URL("../../content/media", import.meta.url));
const withButtons = (m: SimMessage) => Boolean(m.reply_markup?.inline_keyboard?.length);
const uploads = (c: ApiCall) => Object.keys(c.params).some((k) => k.startsWith("attach:"));

function addMedia(file: string, fields: string): void {
  const path = join(content, "lessons", file);
  writeFileSync(path, readFileSync(path, "utf8").replace(/\norder: (\d+)\n/, `\norder: $1\n${fields}\n`));
}

async function push(user: SimUser, chat: SimChat, command: string): Promise<SimMessage[]> {
  const before = stage.sim.messages(chat).at(-1);
  await stage.sim.send(user, chat, command);
  await stage.sim.waitForBotMessage(chat, withButtons, { after: before, timeout: 15_000 });
  return stage.sim.botMessages(chat).filter((m) => m.message_id > (before?.message_id ?? 0));
}

/** What each message of a lesson is, in order: `video`, `document`, `voice`, `text`, `text+buttons`. */
const shape = (messages: SimMessage[]) =>
  messages.map((m) => (m.video ? "video" : m.document ? "document" : m.voice ? "voice" : withButtons(m) ? "text+buttons" : "text"));

beforeAll(async () => {
  content = mkdtempSync(join(tmpdir(), "sanxue-media-lessons-"));
  cpSync(FIXTURE_CONTENT, content, { recursive: true });
  mkdirSync(join(content, "media"));
  cpSync(join(SAMPLE_MEDIA, "pruning-demo.mp4"), join(content, "media/film.mp4"));
  cpSync(join(SAMPLE_MEDIA, "three-studies-handbook.pdf"), join(content, "media/handbook.pdf"));
  writeFileSync(join(content, "media/worksheet.pdf"), Buffer.concat([readFileSync(join(SAMPLE_MEDIA, "three-studies-handbook.pdf")), Buffer.from("% worksheet\n")]));
  cpSync(join(SAMPLE_MEDIA, "secretary-briefing.ogg"), join(content, "media/talk.ogg"));
  addMedia("technology/01-seeds.md", "video: media/film.mp4");
  addMedia("policy/01-revival.md", "documents: [media/handbook.pdf, media/worksheet.pdf]");
  addMedia("constitution/01-duties.md", "voice: media/talk.ogg");
  stage = await startStage({ env: { CONTENT_DIR: content } });
  admin = stage.sim.user({ first_name: "王书记" });
  member = stage.sim.user({ first_name: "李明" });
  groupA = stage.sim.group({ title: "红星村学习群", admins: [admin], members: [member] });
  groupB = stage.sim.group({ title: "青山社区", admins: [admin] });
  for (const g of [groupA, groupB]) {
    stage.sim.addBot(g, { by: admin, asAdmin: true });
    await stage.sim.waitForBotMessage(g, (m) => (m.text ?? "").includes("三学助手"));
  }
}, 60_000);

afterAll(async () => {
  await stage?.close();
  rmSync(content, { recursive: true, force: true });
});

describe("lessons in every medium, end to end", () => {
  it("a video lesson reaches two groups with one upload: the second send carries the first's file_id", async () => {
    const inA = await push(admin, groupA, "/push technology");
    const inB = await push(admin, groupB, "/push technology");
    expect(shape(inA)).toEqual(["video", "text+buttons"]);
    expect(shape(inB)).toEqual(["video", "text+buttons"]);
    expect(inA[0]?.caption).toContain("选种");
    expect(inA[0]?.caption_entities?.[0]).toMatchObject({ type: "bold", offset: 0 });

    const sends = stage.sim.calls.filter((c) => c.method === "sendVideo" && c.ok);
    expect(sends).toHaveLength(2);
    expect(sends.map(uploads)).toEqual([true, false]);
    expect(sends[1]?.params.video).toBe(inA[0]?.video?.file_id);
    expect(inB[0]?.video?.file_unique_id).toBe(inA[0]?.video?.file_unique_id);
    // Streams, with what the content check read from the film.
    // (An upload's fields arrive as multipart strings, a file_id send's as JSON.)
    for (const s of sends) {
      const { supports_streaming, duration, width, height } = s.params;
      expect([supports_streaming, duration, width, height].map(String)).toEqual(["true", "3", "320", "180"]);
    }
  });

  it("Studied under a video lesson counts once, as under any lesson", async () => {
    const lesson = stage.sim.botMessages(groupA).filter(withButtons)[0];
    if (!lesson) throw new Error("no lesson in group A");
    expect((await stage.sim.press(member, lesson, "已学习 ✓"))?.text).toContain("已记录");
    expect((await stage.sim.press(member, lesson, "已学习 ✓"))?.text).toContain("已经记录过");
  });

  it("a document lesson arrives whole: both PDFs, the text, the buttons, in order", async () => {
    const messages = await push(admin, groupA, "/push policy");
    expect(shape(messages)).toEqual(["document", "document", "text+buttons"]);
    expect(messages.map((m) => m.document?.file_name)).toEqual(["handbook.pdf", "worksheet.pdf", undefined]);
    expect(messages[0]?.caption).toBeTruthy();
    expect(messages[1]?.caption).toBeUndefined();
    expect(messages[2]?.text).toContain("乡村振兴");
  });

  it("a voice lesson arrives whole: the voice note with its duration, then the text and buttons", async () => {
    const messages = await push(admin, groupA, "/push constitution");
    expect(shape(messages)).toEqual(["voice", "text+buttons"]);
    expect(messages[0]?.voice?.duration).toBe(4);
    expect(messages[0]?.caption).toBeTruthy();
  });

  it("the private /lessons catch-up sends a media lesson the same way, by the stored file_id", async () => {
    const dm = stage.sim.privateChat(member);
    await stage.sim.startPrivate(member);
    await stage.sim.waitForBotMessage(dm, () => true, { timeout: 15_000 });
    const before = stage.sim.messages(dm).at(-1);
    await stage.sim.send(member, dm, "/lessons");
    const list = await stage.sim.waitForBotMessage(dm, withButtons, { after: before, timeout: 15_000 });
    const videosBefore = stage.sim.calls.filter((c) => c.method === "sendVideo").length;
    const beforeView = stage.sim.messages(dm).at(-1);
    await stage.sim.pressForged(member, list, `lv:${lessonRef("policy-01")}:${groupA.id}`);
    await stage.sim.waitForBotMessage(dm, withButtons, { after: beforeView, timeout: 15_000 });
    const lesson = stage.sim.botMessages(dm).filter((m) => m.message_id > (beforeView?.message_id ?? 0));
    expect(shape(lesson)).toEqual(["document", "document", "text+buttons"]);
    expect(lesson.at(-1)?.text).toContain("来自“红星村学习群”的课程");
    // The handbook went up once, for group A; the private copy is sent by file_id.
    const docs = stage.sim.calls.filter((c) => c.method === "sendDocument" && c.ok);
    expect(docs.map(uploads)).toEqual([true, true, false, false]);
    expect(stage.sim.calls.filter((c) => c.method === "sendVideo")).toHaveLength(videosBefore);
  });
});
