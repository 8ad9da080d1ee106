import { badRequest } from "../errors.js";
import type { SimFile, SimMessage } from "../types.js";
import type { MethodContext, MethodTable } from "./context.js";
import { checkLimits, formatText, postBotMessage, readMarkup, resolveTarget, toApi } from "./outgoing.js";

type MediaKind = "photo" | "document" | "voice";
const FOLDER: Record<MediaKind, string> = { photo: "photos", document: "documents", voice: "voice" };

/** Resolves an InputFile reference: attach://part, an uploaded part of the same name, a file_id or a URL. */
function resolveFile(ctx: MethodContext, value: unknown, field: string, kind: MediaKind): SimFile {
  const { state, params } = ctx;
  const ref = typeof value === "string" ? value : undefined;
  const upload = ref?.startsWith("attach://") ? params.uploads.get(ref.slice(9)) : params.uploads.get(field);
  if (upload) {
    const meta = kind === "document" ? { file_name: upload.filename, mime_type: guessMime(upload.filename) } : {};
    return state.storeFile(upload.bytes, FOLDER[kind], meta);
  }
  if (!ref) throw badRequest(`there is no ${field} in the request`);
  const known = state.files.get(ref) ?? state.files.get(ref.replace(/_s$/, ""));
  if (known) return known;
  if (/^https?:\/\//.test(ref)) {
    // No network here: a URL becomes a file whose bytes are the URL itself.
    const name = ref.split("/").pop() || "file";
    return state.storeFile(Buffer.from(ref), FOLDER[kind], kind === "document" ? { file_name: name } : {});
  }
  throw badRequest("wrong file identifier/HTTP URL specified");
}

function guessMime(name: string): string {
  const ext = name.split(".").pop()?.toLowerCase() ?? "";
  const map: Record<string, string> = {
    pdf: "application/pdf", csv: "text/csv", txt: "text/plain", png: "image/png", jpg: "image/jpeg",
    xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ogg: "audio/ogg",
  };
  return map[ext] ?? "application/octet-stream";
}

function captionFields(ctx: MethodContext, caption: string | undefined, parseMode: string | undefined): Partial<SimMessage> {
  if (caption === undefined || caption === "") return {};
  const f = formatText(ctx, caption, parseMode, "caption");
  return { caption: f.text, caption_html: f.source, caption_entities: f.entities };
}

function sendMedia(kind: MediaKind) {
  return (ctx: MethodContext): unknown => {
    checkLimits(ctx, false);
    const target = resolveTarget(ctx);
    if (kind === "photo") ctx.state.assertCanSendPhotos(target.record);
    const caption = captionFields(ctx, ctx.params.str("caption"), ctx.params.str("parse_mode"));
    const markup = readMarkup(ctx);
    const file = resolveFile(ctx, ctx.params.raw[kind], kind, kind);
    const m = postBotMessage(ctx, target, { [kind]: file, ...caption, ...(markup ? { reply_markup: markup } : {}) });
    return toApi(ctx, m);
  };
}

interface InputMedia {
  type: string;
  media: unknown;
  caption?: string;
  parse_mode?: string;
}

function sendMediaGroup(ctx: MethodContext): unknown {
  checkLimits(ctx, false);
  const target = resolveTarget(ctx);
  const media = ctx.params.json<InputMedia[]>("media") ?? [];
  if (media.length < 2 || media.length > 10) throw badRequest("wrong number of media in the media group: must be 2-10");
  const prepared = media.map((item, i) => {
    const kind: MediaKind | undefined = item.type === "photo" ? "photo" : item.type === "document" ? "document" : undefined;
    if (!kind) throw badRequest(`media group item ${i} has unsupported type "${item.type}" in the simulator`);
    if (kind === "photo") ctx.state.assertCanSendPhotos(target.record);
    return { kind, file: resolveFile(ctx, item.media, `media${i}`, kind), caption: captionFields(ctx, item.caption, item.parse_mode) };
  });
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
  sendMediaGroup,
  getFile,
};
