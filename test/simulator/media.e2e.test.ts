import { readFileSync } from "node:fs";
import { InputFile, type Bot } from "grammy";
import type { InputMediaDocument, Message } from "grammy/types";
import { describe, expect, it } from "vitest";
import type { Simulator } from "../../tools/simulator/index.js";
import { simulatorEachTest } from "../support/simulator-each.js";
import { refusal } from "../support/refusal.js";

const MP4 = readFileSync(new URL("../../content/media/pruning-demo.mp4", import.meta.url));
const OGG = readFileSync(new URL("../../content/media/secretary-briefing.ogg", import.meta.url));
const PDF = readFileSync(new URL("../../content/media/three-studies-handbook.pdf", import.meta.url));
const MB = 1024 * 1024;

let sim: Simulator;
let bot: Bot;

simulatorEachTest((world) => ({ sim, bot } = world));

function group() {
  const alice = sim.user({ first_name: "李明" });
  const chat = sim.group({ title: "红星村学习群", admins: [alice] });
  sim.addBot(chat, { by: alice, asAdmin: true });
  return chat;
}

describe("sendVideo, sendAudio, sendVoice, sendDocument", () => {
  it("an uploaded video comes back as a Message with video, caption and buttons; its file_id sends it again without bytes", async () => {
    const chat = group();
    const sent = await bot.api.sendVideo(chat.id, new InputFile(MP4, "pruning.mp4"), {
      caption: "<b>修剪示范</b>",
      parse_mode: "HTML",
      supports_streaming: true,
      duration: 3,
      width: 320,
      height: 180,
      reply_markup: { inline_keyboard: [[{ text: "Studied ✓", callback_data: "s:1" }]] },
    });
    expect(sent.video).toMatchObject({ duration: 3, width: 320, height: 180, file_name: "pruning.mp4", mime_type: "video/mp4", file_size: MP4.length });
    expect(sent.video?.file_id).toMatch(/\S/);
    expect(sent.caption).toBe("修剪示范");
    expect(sent.caption_entities?.[0]).toMatchObject({ type: "bold" });
    const upload = sim.calls.find((c) => c.method === "sendVideo");
    expect(upload?.params).toMatchObject({ supports_streaming: "true", video: expect.stringMatching(/^attach:\/\//) as unknown });
    expect(Object.values(upload?.params ?? {})).toContain(`<pruning.mp4, ${MP4.length} bytes>`);

    const again = await bot.api.sendVideo(chat.id, sent.video?.file_id ?? "", { supports_streaming: true });
    expect(again.video).toMatchObject({ file_id: sent.video?.file_id, file_unique_id: sent.video?.file_unique_id, duration: 3 });
    expect(Object.keys(sim.calls.at(-1)?.params ?? {}).some((k) => k.startsWith("attach:"))).toBe(false);
    expect(sim.messages(chat).filter((m) => m.video)).toHaveLength(2);
  });

  it("the same bytes uploaded twice get two file_ids but one file_unique_id, as Telegram's", async () => {
    const chat = group();
    const a = await bot.api.sendDocument(chat.id, new InputFile(PDF, "handbook.pdf"));
    const b = await bot.api.sendDocument(chat.id, new InputFile(PDF, "handbook.pdf"));
    expect(a.document?.file_id).not.toBe(b.document?.file_id);
    expect(a.document?.file_unique_id).toBe(b.document?.file_unique_id);
    expect(a.document).toMatchObject({ file_name: "handbook.pdf", mime_type: "application/pdf" });
  });

  it("voice and audio carry their duration and type", async () => {
    const chat = group();
    const voice = await bot.api.sendVoice(chat.id, new InputFile(OGG, "talk.ogg"), { duration: 4 });
    expect(voice.voice).toMatchObject({ duration: 4, mime_type: "audio/ogg", file_size: OGG.length });
    const audio = await bot.api.sendAudio(chat.id, new InputFile(Buffer.from("ID3 simulated"), "talk.mp3"), { duration: 60 });
    expect(audio.audio).toMatchObject({ duration: 60, file_name: "talk.mp3", mime_type: "audio/mpeg" });
  });

  it("refuses an unknown file_id, and a file_id of another type, with Telegram's words", async () => {
    const chat = group();
    const unknown = await refusal(bot.api.sendVideo(chat.id, "BAACAgIAAxkBAAIBnothing"));
    expect(unknown.error_code).toBe(400);
    expect(unknown.description).toBe("Bad Request: wrong file identifier/HTTP URL specified");

    const voice = await bot.api.sendVoice(chat.id, new InputFile(OGG, "talk.ogg"));
    const wrongType = await refusal(bot.api.sendVideo(chat.id, voice.voice?.file_id ?? ""));
    expect(wrongType.description).toBe("Bad Request: can't use file of type VoiceNote as Video");

    const video = await bot.api.sendVideo(chat.id, new InputFile(MP4, "a.mp4"));
    sim.forgetFile(video.video?.file_id ?? "");
    const forgotten = await refusal(bot.api.sendVideo(chat.id, video.video?.file_id ?? ""));
    expect(forgotten.description).toBe("Bad Request: wrong file identifier/HTTP URL specified");
  });

  it("enforces the Bot API's limits: 50 MB a request (413), 10 MB a photo", async () => {
    const chat = group();
    const tooBig = await refusal(bot.api.sendVideo(chat.id, new InputFile(Buffer.alloc(50 * MB + 1), "long.mp4")));
    expect(tooBig.error_code).toBe(413);
    expect(tooBig.description).toBe("Request Entity Too Large");
    const bigPhoto = await refusal(bot.api.sendPhoto(chat.id, new InputFile(Buffer.alloc(10 * MB + 1), "big.jpg")));
    expect(bigPhoto.description).toBe("Bad Request: PHOTO_SAVE_FILE_INVALID");
    // Under the limits both go through.
    await bot.api.sendDocument(chat.id, new InputFile(Buffer.alloc(11 * MB, 1), "big.pdf"));
    expect(sim.messages(chat).filter((m) => m.document)).toHaveLength(1);
  });
});

describe("sendMediaGroup", () => {
  it("sends documents as one group with attach:// parts, and refuses mixing documents with videos", async () => {
    const chat = group();
    const sent: Message[] = await bot.api.sendMediaGroup(chat.id, [
      { type: "document", media: new InputFile(PDF, "one.pdf"), caption: "手册" },
      { type: "document", media: new InputFile(PDF, "two.pdf") },
    ]);
    expect(sent.map((m) => m.document?.file_name)).toEqual(["one.pdf", "two.pdf"]);
    expect(new Set(sent.map((m) => m.media_group_id)).size).toBe(1);
    const mixed = await refusal(
      // grammY's types forbid the mix; a client could still send it, and Telegram refuses it.
      bot.api.sendMediaGroup(chat.id, [
        { type: "document", media: new InputFile(PDF, "one.pdf") },
        { type: "video", media: new InputFile(MP4, "a.mp4") },
      ] as unknown as InputMediaDocument[]),
    );
    expect(mixed.error_code).toBe(400);
    const videos: Message[] = await bot.api.sendMediaGroup(chat.id, [
      { type: "video", media: new InputFile(MP4, "a.mp4"), duration: 3, width: 320, height: 180 },
      { type: "photo", media: new InputFile(Buffer.from("jpeg"), "b.jpg") },
    ]);
    expect(videos[0]?.video).toMatchObject({ duration: 3, width: 320, height: 180 });
  });
});
