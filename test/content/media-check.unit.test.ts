import { readFileSync } from "node:fs";
import { mkdir, open, symlink } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ContentError, formatProblem, loadCurriculum, type Curriculum } from "../../src/content/index.js";
import { contentDir, GOOD_QUIZ, lesson } from "./fixtures.js";

const sample = (name: string) => readFileSync(new URL(`../../content/${name}`, import.meta.url));
const MP4 = sample("media/pruning-demo.mp4");
const OGG = sample("media/secretary-briefing.ogg");
const PDF = sample("media/three-studies-handbook.pdf");
const PNG = sample("images/drip-line.png");
const MB = 1024 * 1024;

const withMedia = (order: number, fields: string): string =>
  lesson(`id: m${order}\ntrack: technology\ntitle: 标题\norder: ${order}\n${fields}\n${GOOD_QUIZ}`);

async function problemsOf(dir: string, selfHostedApi = false): Promise<string[]> {
  try {
    await loadCurriculum(dir, { selfHostedApi });
  } catch (error) {
    if (error instanceof ContentError) return error.problems.map(formatProblem);
    throw error;
  }
  throw new Error("expected a ContentError");
}

/** A sparse file of `size` bytes that starts with `head`: big to the size check, cheap on disk. */
async function bigFile(dir: string, rel: string, head: Buffer, size: number): Promise<void> {
  await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
  const file = await open(path.join(dir, rel), "w");
  await file.write(head, 0, head.length, 0);
  await file.truncate(size);
  await file.close();
}

describe("media in lessons", () => {
  it("loads a lesson with each medium, in sending order, with what the files say", async () => {
    const dir = await contentDir({
      "media/a.mp4": MP4,
      "media/b.ogg": OGG,
      "media/c.pdf": PDF,
      "media/d.pdf": PDF,
      "images/e.png": PNG,
      "lessons/technology/01-a.md": withMedia(1, "documents: [media/c.pdf, media/d.pdf]\nvoice: media/b.ogg\nvideo: media/a.mp4\nimage: images/e.png"),
      "lessons/technology/02-b.md": withMedia(2, "documents: media/c.pdf"),
    });
    const c: Curriculum = await loadCurriculum(dir);
    const [first, second] = c.byTrack.technology;
    expect(first?.media.map((m) => `${m.field}:${m.kind}`)).toEqual(["image:photo", "video:video", "voice:voice", "documents.0:document", "documents.1:document"]);
    expect(first?.media[1]).toMatchObject({ path: path.join(dir, "media/a.mp4"), bytes: MP4.length, duration: 3, width: 320, height: 180 });
    expect(first?.media[2]).toMatchObject({ duration: 4 });
    expect(second?.media.map((m) => m.field)).toEqual(["documents"]);
    expect(c.notes).toEqual([]);
  });

  it("a file of the wrong type, by its bytes, is named with its file, field and fix", async () => {
    const dir = await contentDir({
      "media/film.mp4": PDF,
      "media/talk.ogg": MP4,
      "media/book.pdf": Buffer.from("<html>a saved web page</html>"),
      "media/song.mp3": OGG,
      "images/pic.png": MP4,
      "lessons/technology/01-a.md": withMedia(1, "video: media/film.mp4"),
      "lessons/technology/02-b.md": withMedia(2, "voice: media/talk.ogg"),
      "lessons/technology/03-c.md": withMedia(3, "documents: [media/book.pdf]"),
      "lessons/technology/04-d.md": withMedia(4, "audio: media/song.mp3"),
      "lessons/technology/05-e.md": withMedia(5, "image: images/pic.png"),
    });
    expect(await problemsOf(dir)).toEqual([
      'lessons/technology/01-a.md: video: "media/film.mp4" is a PDF document, by its content, but `video` takes an MP4 video; convert it, e.g. `ffmpeg -i in.mov -c:v libx264 -c:a aac -movflags +faststart out.mp4`',
      'lessons/technology/02-b.md: voice: "media/talk.ogg" is an MP4 video, by its content, but `voice` takes an OGG/Opus recording; convert it, e.g. `ffmpeg -i in.wav -c:a libopus -b:a 24k out.ogg`, or use `audio:` for an MP3',
      'lessons/technology/03-c.md: documents.0: "media/book.pdf" is not a file type Telegram plays, by its content, but `documents` takes a PDF document; export it as PDF',
      'lessons/technology/04-d.md: audio: "media/song.mp3" is an OGG/Opus recording, by its content, but `audio` takes an MP3 recording or an M4A (AAC) recording; convert it to MP3, e.g. `ffmpeg -i in.wav out.mp3`, or use `voice:` for an OGG/Opus note',
      'lessons/technology/05-e.md: image: "images/pic.png" is an MP4 video, by its content, but `image` takes a JPEG picture or a PNG picture or a WebP picture; save it as JPEG, PNG or WebP',
    ]);
  });

  it("missing files, wrong extensions, paths outside the folder and links out of it", async () => {
    const dir = await contentDir({
      "lessons/technology/01-a.md": withMedia(1, "video: media/missing.mp4"),
      "lessons/technology/02-b.md": withMedia(2, "video: media/film.avi"),
      "lessons/technology/03-c.md": withMedia(3, "documents: [../secret.pdf]"),
      "lessons/technology/04-d.md": withMedia(4, "voice: media/link.ogg"),
      "lessons/technology/05-e.md": withMedia(5, "documents: [media/empty.pdf]"),
      "media/empty.pdf": "",
    });
    const outside = await contentDir({ "talk.ogg": OGG });
    await symlink(path.join(outside, "talk.ogg"), path.join(dir, "media/link.ogg"));
    const problems = await problemsOf(dir);
    expect(problems).toEqual([
      'lessons/technology/01-a.md: video: "media/missing.mp4" does not exist; put the file there or fix the path (it is relative to the content folder)',
      'lessons/technology/02-b.md: video: is "media/film.avi"; use an .mp4 video (H.264), e.g. `ffmpeg -i film.mov -c:v libx264 -c:a aac -movflags +faststart film.mp4`',
      'lessons/technology/03-c.md: documents.0: "../secret.pdf" points outside the content folder; put the file inside it, e.g. media/secret.pdf',
      'lessons/technology/04-d.md: voice: "media/link.ogg" links to a file outside the content folder; copy the file into the content folder',
      'lessons/technology/05-e.md: documents.0: "media/empty.pdf" is empty; put the real file there',
    ]);
  });

  it("Bot API limits: over 50 MB stops, a photo over 10 MB stops, over 20 MB is a note", async () => {
    const dir = await contentDir({
      "lessons/technology/01-a.md": withMedia(1, "video: media/long.mp4"),
      "lessons/technology/02-b.md": withMedia(2, "image: images/huge.png"),
    });
    await bigFile(dir, "media/long.mp4", MP4, 51 * MB);
    await bigFile(dir, "images/huge.png", PNG, 11 * MB);
    expect(await problemsOf(dir)).toEqual([
      'lessons/technology/01-a.md: video: "media/long.mp4" is 51.0 MB; the Bot API takes uploads up to 50.0 MB: make it smaller (a lower bitrate, or split it into parts), or run a self-hosted Bot API server (TELEGRAM_API_ROOT), which takes up to 2000 MB',
      'lessons/technology/02-b.md: image: "images/huge.png" is 11.0 MB; Telegram takes photos up to 10 MB, so make it smaller',
    ]);

    const fine = await contentDir({ "lessons/technology/01-a.md": withMedia(1, "video: media/film.mp4") });
    await bigFile(fine, "media/film.mp4", MP4, 40 * MB);
    const c = await loadCurriculum(fine);
    expect(c.notes.map(formatProblem)).toEqual([
      'lessons/technology/01-a.md: video: "media/film.mp4" is 40.0 MB: it sends (uploads go up to 50 MB), but Telegram lets bots download files only up to 20 MB; a self-hosted Bot API server (TELEGRAM_API_ROOT) lifts both limits',
    ]);
  });

  it("a self-hosted Bot API server takes the 51 MB film without a note", async () => {
    const dir = await contentDir({ "lessons/technology/01-a.md": withMedia(1, "video: media/long.mp4") });
    await bigFile(dir, "media/long.mp4", MP4, 51 * MB);
    const c = await loadCurriculum(dir, { selfHostedApi: true });
    expect(c.byTrack.technology[0]?.media[0]?.bytes).toBe(51 * MB);
    expect(c.notes).toEqual([]);
  });

  it("at most ten documents; an unknown media field is named", async () => {
    const many = Array.from({ length: 11 }, () => "media/c.pdf").join(", ");
    const dir = await contentDir({
      "media/c.pdf": PDF,
      "lessons/technology/01-a.md": withMedia(1, `documents: [${many}]`),
      "lessons/technology/02-b.md": withMedia(2, "vidoe: media/c.pdf"),
    });
    const problems = await problemsOf(dir);
    expect(problems[0]).toMatch(/^lessons\/technology\/01-a\.md: documents: has 11 items; .*10/);
    expect(problems[1]).toMatch(/^lessons\/technology\/02-b\.md: vidoe: is not a known field; did you mean "video"\? .*documents/);
  });
});
