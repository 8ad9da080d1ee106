import { open, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { MEDIA_TYPES, opusDuration, parseMp4, sniff, TYPE_NAMES, type MediaField } from "./media-sniff.js";
import type { LessonMedia, MediaKind } from "./types.js";

const MB = 1024 * 1024;
/** Telegram's cloud Bot API: multipart uploads up to 50 MB, photos up to 10 MB, downloads (getFile) up to 20 MB. */
export const MEDIA_LIMITS = { upload: 50 * MB, photo: 10 * MB, download: 20 * MB, selfHostedUpload: 2000 * MB };
/** The moov box of a long film can be a few MB; more is not a film this bot sends. */
const MAX_MOOV_BYTES = 16 * MB;
const HEAD_BYTES = 4096;
const OGG_TAIL_BYTES = 65_536;

const KIND_OF: Record<MediaField, MediaKind> = { image: "photo", video: "video", audio: "audio", voice: "voice", documents: "document" };
const EXAMPLES: Record<MediaField, string> = {
  image: "images/drip.jpg",
  video: "media/pruning.mp4",
  audio: "media/briefing.mp3",
  voice: "media/briefing.ogg",
  documents: "media/handbook.pdf",
};
const EXTENSIONS: Record<MediaField, RegExp> = {
  image: /\.(jpe?g|png|webp)$/i,
  video: /\.mp4$/i,
  audio: /\.(mp3|m4a)$/i,
  voice: /\.(ogg|oga|opus)$/i,
  documents: /\.pdf$/i,
};
const EXTENSION_NAMES: Record<MediaField, string> = {
  image: "a .jpg, .jpeg, .png or .webp picture",
  video: "an .mp4 video (H.264), e.g. `ffmpeg -i film.mov -c:v libx264 -c:a aac -movflags +faststart film.mp4`",
  audio: "an .mp3 or .m4a recording",
  voice: "an .ogg voice note (Opus), e.g. `ffmpeg -i talk.wav -c:a libopus -b:a 24k talk.ogg`",
  documents: "a .pdf document",
};
const FIXES: Record<MediaField, string> = {
  image: "save it as JPEG, PNG or WebP",
  video: "convert it, e.g. `ffmpeg -i in.mov -c:v libx264 -c:a aac -movflags +faststart out.mp4`",
  audio: "convert it to MP3, e.g. `ffmpeg -i in.wav out.mp3`, or use `voice:` for an OGG/Opus note",
  voice: "convert it, e.g. `ffmpeg -i in.wav -c:a libopus -b:a 24k out.ogg`, or use `audio:` for an MP3",
  documents: "export it as PDF",
};

/** A Bot API root other than Telegram's cloud is a self-hosted server, which lifts the upload limit. */
export function isSelfHostedApi(apiRoot: string | undefined): boolean {
  return apiRoot !== undefined && apiRoot !== "" && !/^https:\/\/api\.telegram\.org\/?$/.test(apiRoot);
}

export interface MediaRoot {
  dir: string;
  real: string;
  /** A self-hosted Bot API server (TELEGRAM_API_ROOT not api.telegram.org) takes uploads up to 2000 MB. */
  selfHostedApi?: boolean;
}

export type MediaCheck = { media: LessonMedia; note?: string } | { problem: string };

const megabytes = (bytes: number): string => `${(bytes / MB).toFixed(1)} MB`;

function outside(base: string, target: string): boolean {
  const rel = path.relative(base, target);
  return rel === "" || rel.startsWith("..") || path.isAbsolute(rel);
}

/** Checks one media file a lesson names in `field` (`documents` items too): place, type by its bytes, size. */
export async function checkMediaFile(field: MediaField, value: string, root: MediaRoot): Promise<MediaCheck> {
  const shown = JSON.stringify(value);
  const example = EXAMPLES[field];
  if (!EXTENSIONS[field].test(value)) return { problem: `is ${shown}; use ${EXTENSION_NAMES[field]}` };
  if (path.isAbsolute(value)) {
    return { problem: `is the absolute path ${shown}; give a path relative to the content folder, e.g. ${example}` };
  }
  const absolute = path.resolve(root.dir, value);
  if (outside(root.dir, absolute)) {
    return { problem: `${shown} points outside the content folder; put the file inside it, e.g. ${path.dirname(example)}/${path.basename(value)}` };
  }
  let real: string;
  let size: number;
  try {
    real = await realpath(absolute);
    const info = await stat(real);
    if (!info.isFile()) return { problem: `${shown} is not a file; point it at the file itself` };
    size = info.size;
  } catch {
    return { problem: `${shown} does not exist; put the file there or fix the path (it is relative to the content folder)` };
  }
  if (outside(root.real, real)) return { problem: `${shown} links to a file outside the content folder; copy the file into the content folder` };
  const kind = KIND_OF[field];
  if (kind === "photo" && size > MEDIA_LIMITS.photo) {
    return { problem: `${shown} is ${megabytes(size)}; Telegram takes photos up to 10 MB, so make it smaller` };
  }
  const uploadLimit = root.selfHostedApi ? MEDIA_LIMITS.selfHostedUpload : MEDIA_LIMITS.upload;
  if (size > uploadLimit) {
    const fix = root.selfHostedApi
      ? "make it smaller"
      : "make it smaller (a lower bitrate, or split it into parts), or run a self-hosted Bot API server (TELEGRAM_API_ROOT), which takes up to 2000 MB";
    return { problem: `${shown} is ${megabytes(size)}; the Bot API takes uploads up to ${megabytes(uploadLimit)}: ${fix}` };
  }
  if (size === 0) return { problem: `${shown} is empty; put the real file there` };
  const file = await open(real, "r");
  try {
    const read = async (at: number, length: number): Promise<Buffer> => {
      const buf = Buffer.alloc(Math.max(0, Math.min(length, size - at)));
      await file.read(buf, 0, buf.length, at);
      return buf;
    };
    const head = await read(0, HEAD_BYTES);
    const type = sniff(head);
    const accepted: readonly string[] = MEDIA_TYPES[field];
    if (!type || !accepted.includes(type)) {
      const is = type ? `is ${TYPE_NAMES[type]}` : "is not a file type Telegram plays";
      const wants = MEDIA_TYPES[field].map((t) => TYPE_NAMES[t]).join(" or ");
      return { problem: `${shown} ${is}, by its content, but \`${field}\` takes ${wants}; ${FIXES[field]}` };
    }
    const media: LessonMedia = { kind, field, path: absolute, bytes: size };
    if (type === "mp4") {
      const moov = await readMoov(read, size);
      if (moov) Object.assign(media, parseMp4(moov));
    }
    if (type === "ogg-opus") {
      const duration = opusDuration(head, await read(Math.max(0, size - OGG_TAIL_BYTES), OGG_TAIL_BYTES));
      if (duration !== undefined) media.duration = duration;
    }
    const note =
      size > MEDIA_LIMITS.download && !root.selfHostedApi
        ? `${shown} is ${megabytes(size)}: it sends (uploads go up to 50 MB), but Telegram lets bots download files only up to 20 MB; a self-hosted Bot API server (TELEGRAM_API_ROOT) lifts both limits`
        : undefined;
    return note ? { media, note } : { media };
  } finally {
    await file.close();
  }
}

/** The `moov` box (the film's index), found by walking the top-level box headers; at the start or the end of the file. */
async function readMoov(read: (at: number, length: number) => Promise<Buffer>, size: number): Promise<Buffer | undefined> {
  let at = 0;
  for (let i = 0; i < 64 && at + 8 <= size; i++) {
    const header = await read(at, 16);
    let boxSize = header.readUInt32BE(0);
    if (boxSize === 1 && header.length >= 16) boxSize = Number(header.readBigUInt64BE(8));
    else if (boxSize === 0) boxSize = size - at;
    if (boxSize < 8) return undefined;
    if (header.toString("latin1", 4, 8) === "moov") return boxSize <= MAX_MOOV_BYTES ? read(at, boxSize) : undefined;
    at += boxSize;
  }
  return undefined;
}
