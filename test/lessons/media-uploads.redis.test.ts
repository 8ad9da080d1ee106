import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { GrammyError, InputFile, type Api } from "grammy";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { LessonMedia } from "../../src/content/index.js";
import { createMediaSender, createMediaUploadsRepository, type MediaSender } from "../../src/lessons/index.js";
import { createLogger } from "../../src/shared/logger.js";
import { connectRedis, type RedisClient } from "../../src/shared/redis.js";
import { memoryDelivery } from "../support/memory-delivery.js";
import { startRedis, type TestRedis } from "../support/redis-server.js";

const logger = createLogger({ level: "silent" });
let server: TestRedis;
let redis: RedisClient;
let dir: string;

beforeAll(async () => {
  server = await startRedis();
  redis = await connectRedis(server.url, logger);
  dir = mkdtempSync(path.join(tmpdir(), "sanxue-media-"));
});
afterAll(async () => {
  await redis?.quit();
  await server?.destroy();
});
beforeEach(async () => {
  await redis.flushall();
});

/**
 * Telegram's side of sendVideo, as far as file ids go: an upload takes `uploadMs` and gets a new
 * file id; a known file id is sent at once; any other is refused with Telegram's words.
 */
function telegram(uploadMs = 0) {
  const known = new Set<string>();
  const log: ("upload" | "file_id")[] = [];
  let next = 0;
  const sendVideo = async (_chatId: number, video: InputFile | string) => {
    next++;
    if (video instanceof InputFile) {
      log.push("upload");
      await new Promise((r) => setTimeout(r, uploadMs));
      const fileId = `BAAC-${next}`;
      known.add(fileId);
      return { message_id: next, video: { file_id: fileId, file_unique_id: "u" } };
    }
    if (!known.has(video)) {
      const description = "Bad Request: wrong file identifier/HTTP URL specified";
      throw new GrammyError("Call to 'sendVideo' failed!", { ok: false, error_code: 400, description }, "sendVideo", {});
    }
    log.push("file_id");
    return { message_id: next, video: { file_id: video, file_unique_id: "u" } };
  };
  // Only sendVideo is called by these tests.
  const api = { sendVideo } as unknown as Api;
  return { api, log, known };
}

function film(name: string, bytes: string): LessonMedia {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return { kind: "video", field: "video", path: file, bytes: bytes.length, duration: 3, width: 320, height: 180 };
}

function sender(api: Api, cache = true): MediaSender {
  return createMediaSender({ api, logger, uploads: cache ? createMediaUploadsRepository(redis) : undefined });
}

const send = (s: MediaSender, chatId: number, media: LessonMedia) =>
  s.sendLessonMedia(chatId, [media], { caption: "<b>t</b>", title: "t", delivery: memoryDelivery(`d${chatId}`), key: (f) => f });

describe("lesson media: uploaded once per deployment", () => {
  it("the first send uploads; every other chat gets the stored file id", async () => {
    const tg = telegram();
    const s = sender(tg.api);
    const media = film("a.mp4", "film one");
    await send(s, -1, media);
    await send(s, -2, media);
    await send(s, -3, media);
    expect(tg.log).toEqual(["upload", "file_id", "file_id"]);
  });

  it("sixty chats at once on two instances: one upload, the others wait for its file id", async () => {
    const tg = telegram(300);
    const [a, b] = [sender(tg.api), sender(tg.api)];
    const media = film("b.mp4", "a 40 MB film, in spirit");
    await Promise.all(Array.from({ length: 60 }, (_, i) => send(i % 2 === 0 ? a : b, -100 - i, media)));
    expect(tg.log.filter((x) => x === "upload")).toHaveLength(1);
    expect(tg.log.filter((x) => x === "file_id")).toHaveLength(59);
  });

  it("a changed file (new content, new hash) is uploaded again", async () => {
    const tg = telegram();
    const s = sender(tg.api);
    const media = film("c.mp4", "first cut");
    await send(s, -1, media);
    // The same path, new bytes and size: the cached hash of the path is not trusted.
    const recut = film("c.mp4", "the director's cut, longer");
    await send(s, -2, recut);
    await send(s, -3, recut);
    expect(tg.log).toEqual(["upload", "upload", "file_id"]);
  });

  it("a stored file id Telegram refuses is replaced by a new upload", async () => {
    const tg = telegram();
    const s = sender(tg.api);
    const media = film("d.mp4", "film d");
    await send(s, -1, media);
    tg.known.clear(); // Telegram forgets it (another bot token, say)
    await send(s, -2, media);
    await send(s, -3, media);
    expect(tg.log).toEqual(["upload", "upload", "file_id"]);
    const stored = await redis.keys("sx:media:video:*");
    expect(stored.filter((k) => !k.endsWith(":upload"))).toHaveLength(1);
  });

  it("without the cache (MEDIA_CACHE=off) every send uploads", async () => {
    const tg = telegram();
    const s = sender(tg.api, false);
    const media = film("e.mp4", "film e");
    await send(s, -1, media);
    await send(s, -2, media);
    expect(tg.log).toEqual(["upload", "upload"]);
    expect(await redis.keys("sx:media:*")).toEqual([]);
  });
});
