import { createHash, randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { InputFile, type Api } from "grammy";
import type { Message } from "grammy/types";
import type { LessonMedia, MediaKind } from "../content/types.js";
import type { Logger } from "../shared/logger.js";
import { isRefusedFileId } from "../shared/telegram-errors.js";
import type { Delivery } from "../outbox/index.js";
import type { MediaUploadsRepository } from "./media-uploads.repository.js";

/** How long one upload may hold its claim: a 50 MB film over a slow link, with room. */
export const UPLOAD_CLAIM_MS = 120_000;
/** How often a send waiting for another's upload looks for the file id. */
const WAIT_POLL_MS = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface MediaSendOptions {
  /** HTML caption of the first medium (the lesson's title); at most 1024 characters after parsing. */
  caption: string;
  /** The audio's title in players (plain text). */
  title: string;
  threadId?: number;
  delivery: Delivery;
  /** The delivery key of each medium's message, from its front-matter field (`video`, `documents.1`). */
  key: (field: string) => string;
  /** Called instead of throwing when Telegram refuses one medium and the rest should go on; rethrow to stop. */
  onRefused?: (media: LessonMedia, err: unknown) => void;
}

export interface MediaSenderDeps {
  api: Api;
  logger: Logger;
  /** Where file ids are kept; without it every send uploads (the bench's "before"). */
  uploads?: MediaUploadsRepository;
}

/** The file id Telegram gave a sent medium (the largest size of a photo). */
function fileIdOf(kind: MediaKind, msg: Message): string | undefined {
  if (kind === "photo") return msg.photo?.at(-1)?.file_id;
  return msg[kind]?.file_id;
}

/**
 * Sends a lesson's media (picture, film, recording, documents), the first with the caption, each as a
 * keyed send of `delivery` (paced, counted against the group's window, resumed after a crash). Each
 * file is uploaded once per deployment: its file_id is kept by content hash for every other chat.
 */
export function createMediaSender(deps: MediaSenderDeps) {
  const { api, uploads } = deps;
  const log = deps.logger.child({ feature: "lessons", part: "media" });
  /** A 40 MB film is hashed once per process while its size and mtime stay the same. */
  const hashes = new Map<string, { size: number; mtimeMs: number; sha: Promise<string> }>();

  async function hashOf(file: string): Promise<string> {
    const info = await stat(file);
    const known = hashes.get(file);
    if (known && known.size === info.size && known.mtimeMs === info.mtimeMs) return known.sha;
    const sha = new Promise<string>((resolve, reject) => {
      const hash = createHash("sha256");
      createReadStream(file)
        .on("data", (chunk) => hash.update(chunk))
        .on("end", () => resolve(hash.digest("hex")))
        .on("error", reject);
    });
    hashes.set(file, { size: info.size, mtimeMs: info.mtimeMs, sha });
    sha.catch(() => hashes.delete(file));
    return sha;
  }

  function call(chatId: number, media: LessonMedia, file: InputFile | string, caption: string | undefined, opts: MediaSendOptions): Promise<Message> {
    const common = { caption, parse_mode: caption ? ("HTML" as const) : undefined, message_thread_id: opts.threadId };
    switch (media.kind) {
      case "photo":
        return api.sendPhoto(chatId, file, common);
      case "video":
        return api.sendVideo(chatId, file, { ...common, supports_streaming: true, duration: media.duration, width: media.width, height: media.height });
      case "audio":
        return api.sendAudio(chatId, file, { ...common, duration: media.duration, title: opts.title });
      case "voice":
        return api.sendVoice(chatId, file, { ...common, duration: media.duration });
      case "document":
        return api.sendDocument(chatId, file, common);
    }
  }

  const upload = (media: LessonMedia) => new InputFile(media.path, path.basename(media.path));

  /** Sends one medium by its stored file id, or uploads it (once, across chats and instances) and stores the id. */
  async function sendOne(chatId: number, media: LessonMedia, caption: string | undefined, opts: MediaSendOptions): Promise<Message> {
    // A medium the author sent the bot is Telegram's already: the same bot resends it anywhere by its id.
    if (media.fileId) return call(chatId, media, media.fileId, caption, opts);
    if (!uploads) return call(chatId, media, upload(media), caption, opts);
    const sha = await hashOf(media.path);
    const deadline = Date.now() + UPLOAD_CLAIM_MS;
    const refused = new Set<string>();
    for (;;) {
      const known = await uploads.fileId(media.kind, sha);
      if (known && !refused.has(known)) {
        try {
          return await call(chatId, media, known, caption, opts);
        } catch (err) {
          if (!isRefusedFileId(err)) throw err;
          refused.add(known);
          log.warn({ kind: media.kind, sha, chat: chatId }, "Telegram refused a stored file id; uploading the file again");
          await uploads.forget(media.kind, sha, known);
          continue;
        }
      }
      const owner = randomUUID();
      if (await uploads.claimUpload(media.kind, sha, owner, UPLOAD_CLAIM_MS)) {
        try {
          // Another sender may have stored the id between our look and our claim.
          const stored = await uploads.fileId(media.kind, sha);
          if (stored && !refused.has(stored)) continue;
          const msg = await call(chatId, media, upload(media), caption, opts);
          const fileId = fileIdOf(media.kind, msg);
          if (fileId) await uploads.remember(media.kind, sha, fileId);
          log.info({ kind: media.kind, sha, bytes: media.bytes, chat: chatId }, "media uploaded");
          return msg;
        } finally {
          await uploads.releaseUpload(media.kind, sha, owner);
        }
      }
      // Someone (another group's push, another instance) is uploading this file: wait for its file id.
      if (Date.now() > deadline) {
        log.warn({ kind: media.kind, sha }, "waited too long for another upload of this file; uploading it here");
        return call(chatId, media, upload(media), caption, opts);
      }
      await sleep(WAIT_POLL_MS);
    }
  }

  /** Sends every medium of the lesson in order, the caption on the first; resolves with the last message id (0 if none). */
  async function sendLessonMedia(chatId: number, media: readonly LessonMedia[], opts: MediaSendOptions): Promise<number> {
    let lastId = 0;
    let captioned = false;
    for (const item of media) {
      const caption = captioned ? undefined : opts.caption;
      try {
        lastId = await opts.delivery.send(opts.key(item.field), chatId, () => sendOne(chatId, item, caption, opts));
        captioned = true;
      } catch (err) {
        if (!opts.onRefused) throw err;
        opts.onRefused(item, err);
      }
    }
    return lastId;
  }

  return { sendLessonMedia };
}

export type MediaSender = ReturnType<typeof createMediaSender>;
export type SendLessonMedia = MediaSender["sendLessonMedia"];
