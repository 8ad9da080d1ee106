import { ApiError, badRequest } from "../errors.js";
import type { SimFile, SimMessage } from "../types.js";
import type { MethodContext, MethodTable } from "./context.js";
import { checkLimits, formatText, postBotMessage, readMarkup, resolveTarget, toApi } from "./outgoing.js";

type MediaKind = "photo" | "document" | "voice" | "video" | "audio";
/** The folders of Telegram's file paths (`videos/file_3.mp4`). */
const FOLDER: Record<MediaKind, string> = { photo: "photos", document: "documents", voice: "voice", video: "videos", audio: "music" };
const MB = 1024 * 1024;
/** The cloud Bot API's limits: a multipart request up to 50 MB, a photo up to 10 MB. */
export const UPLOAD_LIMITS = { request: 50 * MB, photo: 10 * MB };

/** What the request says of a video or recording (Telegram would read it from the file; the simulator believes the sender). */
function attributes(kind: MediaKind, source: Record<string, unknown>): Omit<SimFile, "file_id" | "file_unique_id" | "file_path" | "bytes"> {
  if (kind !== "video" && kind !== "audio" && kind !== "voice") return {};
  const int = (key: string): number | undefined => {
    const v = source[key];
    const n = typeof v === "number" ? v : typeof v === "string" && v !== "" ? Number(v) : undefined;
    if (n !== undefined && !Number.isFinite(n)) throw badRequest(`field "${key}" must be of type Integer`);
    return n === undefined ? undefined : Math.trunc(n);
  };
  const out: Omit<SimFile, "file_id" | "file_unique_id" | "file_path" | "bytes"> = { duration: int("duration") ?? 0 };
  if (kind === "video") Object.assign(out, { width: int("width") ?? 0, height: int("height") ?? 0 });
  return out;
}

/**
 * Resolves an InputFile reference: attach://part, an uploaded part of the same name, a file_id or a URL.
 * `source` holds the item's own fields (the request's, or a media group item's).
 */
function resolveFile(ctx: MethodContext, value: unknown, field: string, kind: MediaKind, source: Record<string, unknown>): SimFile {
  const { state, params } = ctx;
  const ref = typeof value === "string" ? value : undefined;
  const upload = ref?.startsWith("attach://") ? params.uploads.get(ref.slice(9)) : params.uploads.get(field);
  if (upload) {
    if (kind === "photo" && upload.bytes.length > UPLOAD_LIMITS.photo) throw badRequest("PHOTO_SAVE_FILE_INVALID");
    if (upload.bytes.length === 0) throw badRequest("file must be non-empty");
    const named = kind === "document" || kind === "video" || kind === "audio";
    const meta = named ? { file_name: upload.filename, mime_type: guessMime(upload.filename) } : kind === "voice" ? { mime_type: "audio/ogg" } : {};
    return state.storeFile(upload.bytes, FOLDER[kind], { ...meta, ...attributes(kind, source) });
  }
  if (!ref) throw badRequest(`there is no ${field} in the request`);
  const known = state.files.get(ref) ?? state.files.get(ref.replace(/_s$/, ""));
  if (known) {
    const folder = known.file_path.split("/")[0];
    // A file is sent again as what it was uploaded as (a document file_id may go out as any document).
    if (folder !== FOLDER[kind] && kind !== "document") {
      throw badRequest(`can't use file of type ${typeName(folder)} as ${typeName(FOLDER[kind])}`);
    }
    return known;
  }
  if (/^https?:\/\//.test(ref)) {
    // No network here: a URL becomes a file whose bytes are the URL itself.
    const name = ref.split("/").pop() || "file";
    return state.storeFile(Buffer.from(ref), FOLDER[kind], kind === "document" ? { file_name: name } : {});
  }
  throw badRequest("wrong file identifier/HTTP URL specified");
}

function typeName(folder: string | undefined): string {
  const names: Record<string, string> = { photos: "Photo", documents: "Document", voice: "VoiceNote", videos: "Video", music: "Audio" };
  return names[folder ?? ""] ?? "Document";
}

function guessMime(name: string): string {
  const ext = name.split(".").pop()?.toLowerCase() ?? "";
  const map: Record<string, string> = {
    pdf: "application/pdf", csv: "text/csv", txt: "text/plain", png: "image/png", jpg: "image/jpeg",
    xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ogg: "audio/ogg",
    mp4: "video/mp4", mp3: "audio/mpeg", m4a: "audio/mp4",
  };
  return map[ext] ?? "application/octet-stream";
}

/** Telegram's nginx answers a request over 50 MB with 413 before the Bot API reads it. */
function checkUploadSize(ctx: MethodContext): void {
  let total = 0;
  for (const upload of ctx.params.uploads.values()) total += upload.bytes.length;
  if (total > UPLOAD_LIMITS.request) throw new ApiError(413, "Request Entity Too Large");
}

function captionFields(ctx: MethodContext, caption: string | undefined, parseMode: string | undefined): Partial<SimMessage> {
  if (caption === undefined || caption === "") return {};
  const f = formatText(ctx, caption, parseMode, "caption");
  return { caption: f.text, caption_html: f.source, caption_entities: f.entities };
}

function sendMedia(kind: MediaKind) {
  return (ctx: MethodContext): unknown => {
    checkUploadSize(ctx);
    checkLimits(ctx, false);
    const target = resolveTarget(ctx);
    if (kind === "photo") ctx.state.assertCanSendPhotos(target.record);
    const caption = captionFields(ctx, ctx.params.str("caption"), ctx.params.str("parse_mode"));
    const markup = readMarkup(ctx);
    const file = resolveFile(ctx, ctx.params.raw[kind], kind, kind, ctx.params.raw);
    const m = postBotMessage(ctx, target, { [kind]: file, ...caption, ...(markup ? { reply_markup: markup } : {}) });
    return toApi(ctx, m);
  };
}

interface InputMedia {
  type: string;
  media: unknown;
  caption?: string;
  parse_mode?: string;
  duration?: number;
  width?: number;
  height?: number;
}

const GROUP_KINDS: Record<string, MediaKind> = { photo: "photo", document: "document", video: "video", audio: "audio" };

function sendMediaGroup(ctx: MethodContext): unknown {
  checkUploadSize(ctx);
  checkLimits(ctx, false);
  const target = resolveTarget(ctx);
  const media = ctx.params.json<InputMedia[]>("media") ?? [];
  if (media.length < 2 || media.length > 10) throw badRequest("wrong number of media in the media group: must be 2-10");
  const prepared = media.map((item, i) => {
    const kind = GROUP_KINDS[item.type];
    if (!kind) throw badRequest(`media group item ${i} has unsupported type "${item.type}"`);
    if (kind === "photo") ctx.state.assertCanSendPhotos(target.record);
    return { kind, file: resolveFile(ctx, item.media, `media${i}`, kind, { ...item }), caption: captionFields(ctx, item.caption, item.parse_mode) };
  });
  // Telegram: documents and audio group only with their own kind; photos and videos may mix.
  const families = new Set(prepared.map((p) => (p.kind === "photo" || p.kind === "video" ? "visual" : p.kind)));
  if (families.size > 1) throw badRequest("can't mix documents or audio with other media in a media group");
  const groupId = ctx.state.uniqueId("").slice(0, 18).replace(/\D/g, "7");
  const out = prepared.map((p) => postBotMessage(ctx, target, { [p.kind]: p.file, ...p.caption, media_group_id: groupId }));
  return out.map((m) => toApi(ctx, m));
}

function getFile(ctx: MethodContext): unknown {
  const id = ctx.params.requireStr("file_id", "file_id is empty");
  const file = ctx.state.files.get(id) ?? ctx.state.files.get(id.replace(/_s$/, ""));
  if (!file) throw badRequest("invalid file_id");
  return { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.bytes.length, file_path: file.file_path };
}

export const mediaMethods: MethodTable = {
  sendPhoto: sendMedia("photo"),
  sendDocument: sendMedia("document"),
  sendVoice: sendMedia("voice"),
  sendVideo: sendMedia("video"),
  sendAudio: sendMedia("audio"),
  sendMediaGroup,
  getFile,
};
