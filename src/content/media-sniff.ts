/**
 * What a media file is, read from its first bytes (and, for MP4 and OGG, a little of its structure):
 * the content check names a wrong file before Telegram refuses it or members get an unplayable one.
 */
export type SniffedType = "jpeg" | "png" | "webp" | "mp4" | "m4a" | "mp3" | "ogg-opus" | "ogg" | "pdf";

/** The front-matter fields that name media, and the types each accepts. */
export const MEDIA_TYPES = {
  image: ["jpeg", "png", "webp"],
  video: ["mp4"],
  audio: ["mp3", "m4a"],
  voice: ["ogg-opus"],
  documents: ["pdf"],
} as const satisfies Record<string, readonly SniffedType[]>;
export type MediaField = keyof typeof MEDIA_TYPES;

/** The names users know the types by, for messages. */
export const TYPE_NAMES: Record<SniffedType, string> = {
  jpeg: "a JPEG picture",
  png: "a PNG picture",
  webp: "a WebP picture",
  mp4: "an MP4 video",
  m4a: "an M4A (AAC) recording",
  mp3: "an MP3 recording",
  "ogg-opus": "an OGG/Opus recording",
  ogg: "an OGG file that is not Opus",
  pdf: "a PDF document",
};

const ascii = (b: Buffer, at: number, n: number): string => b.toString("latin1", at, at + n);

/** Audio-only brands of the MP4 family (iTunes audio and audiobooks). */
const AUDIO_BRANDS = new Set(["M4A ", "M4B ", "M4P "]);

/** The type of a file from its head (the first few kilobytes), or undefined when none is recognised. */
export function sniff(head: Buffer): SniffedType | undefined {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return "jpeg";
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return "png";
  if (head.length >= 12 && ascii(head, 0, 4) === "RIFF" && ascii(head, 8, 4) === "WEBP") return "webp";
  if (head.length >= 12 && ascii(head, 4, 4) === "ftyp") return AUDIO_BRANDS.has(ascii(head, 8, 4)) ? "m4a" : "mp4";
  if (head.length >= 4 && ascii(head, 0, 4) === "OggS") {
    // The first page carries the codec's identification header right after the page header and segment table.
    const segments = head[26] ?? 0;
    return ascii(head, 27 + segments, 8) === "OpusHead" ? "ogg-opus" : "ogg";
  }
  if (head.length >= 5 && ascii(head, 0, 5) === "%PDF-") return "pdf";
  if (head.length >= 3 && ascii(head, 0, 3) === "ID3") return "mp3";
  // An MPEG audio frame without ID3 tags: 11 sync bits, then a layer other than "reserved".
  if (head.length >= 2 && head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0 && ((head[1] ?? 0) & 0x06) !== 0) return "mp3";
  return undefined;
}

export interface VideoInfo {
  /** Whole seconds, rounded. */
  duration?: number;
  width?: number;
  height?: number;
}

/** Children of an ISO BMFF box body: type, start and end of each. */
function* boxes(buf: Buffer, start: number, end: number): Generator<{ type: string; body: number; end: number }> {
  let at = start;
  while (at + 8 <= end) {
    let size = buf.readUInt32BE(at);
    let header = 8;
    if (size === 1) {
      if (at + 16 > end) return;
      size = Number(buf.readBigUInt64BE(at + 8));
      header = 16;
    } else if (size === 0) size = end - at;
    if (size < header || at + size > end) return;
    yield { type: ascii(buf, at + 4, 4), body: at + header, end: at + size };
    at += size;
  }
}

/**
 * Duration (from `mvhd`) and picture size (from the first video track's `tkhd`) of an MP4, given
 * its `moov` box or the whole file. Missing or odd boxes leave the field out.
 */
export function parseMp4(buf: Buffer): VideoInfo {
  const info: VideoInfo = {};
  const moov = [...boxes(buf, 0, buf.length)].find((b) => b.type === "moov");
  if (!moov) return info;
  for (const box of boxes(buf, moov.body, moov.end)) {
    if (box.type === "mvhd" && box.end - box.body >= 32) {
      const version = buf[box.body];
      const scale = version === 1 ? buf.readUInt32BE(box.body + 20) : buf.readUInt32BE(box.body + 12);
      const length = version === 1 ? Number(buf.readBigUInt64BE(box.body + 24)) : buf.readUInt32BE(box.body + 16);
      if (scale > 0) info.duration = Math.round(length / scale);
    }
    if (box.type === "trak" && info.width === undefined) {
      const tkhd = [...boxes(buf, box.body, box.end)].find((b) => b.type === "tkhd");
      if (!tkhd) continue;
      // Width and height are the last 8 bytes of tkhd, 16.16 fixed point; audio tracks have 0 × 0.
      const width = buf.readUInt32BE(tkhd.end - 8) >>> 16;
      const height = buf.readUInt32BE(tkhd.end - 4) >>> 16;
      if (width > 0 && height > 0) Object.assign(info, { width, height });
    }
  }
  return info;
}

/**
 * Seconds of an OGG/Opus recording: the last page's granule position (48 kHz samples) less the
 * pre-skip of the OpusHead. `head` is the start of the file, `tail` its last bytes.
 */
export function opusDuration(head: Buffer, tail: Buffer): number | undefined {
  const segments = head[26] ?? 0;
  const opusHead = 27 + segments;
  if (ascii(head, opusHead, 8) !== "OpusHead" || head.length < opusHead + 12) return undefined;
  const preSkip = head.readUInt16LE(opusHead + 10);
  const last = tail.lastIndexOf("OggS", tail.length, "latin1");
  if (last < 0 || last + 14 > tail.length) return undefined;
  const granule = Number(tail.readBigInt64LE(last + 6));
  if (granule <= 0) return undefined;
  return Math.max(1, Math.round((granule - preSkip) / 48_000));
}
