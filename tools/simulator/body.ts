import type { IncomingMessage } from "node:http";
import type { Upload } from "./params.js";

export interface ParsedBody {
  fields: Record<string, unknown>;
  uploads: Map<string, Upload>;
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Parses JSON, urlencoded and multipart bodies plus the query string into one field map. */
export async function parseBody(req: IncomingMessage, url: URL): Promise<ParsedBody> {
  const fields: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const uploads = new Map<string, Upload>();
  const type = req.headers["content-type"] ?? "";
  const raw = await readAll(req);
  if (raw.length === 0) return { fields, uploads };
  if (type.includes("application/json")) {
    const parsed: unknown = JSON.parse(raw.toString("utf8"));
    if (parsed && typeof parsed === "object") Object.assign(fields, parsed);
  } else if (type.includes("application/x-www-form-urlencoded")) {
    Object.assign(fields, Object.fromEntries(new URLSearchParams(raw.toString("utf8"))));
  } else if (type.includes("multipart/form-data")) {
    const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
    if (boundary) parseMultipart(raw, boundary, fields, uploads);
  }
  return { fields, uploads };
}

/**
 * A small multipart reader. Node's `Request.formData()` rejects grammY's parts, which send
 * `filename=` unquoted and headers without spaces, so the simulator reads them itself.
 */
function parseMultipart(raw: Buffer, boundary: string, fields: Record<string, unknown>, uploads: Map<string, Upload>): void {
  const delimiter = Buffer.from(`--${boundary}`);
  let pos = raw.indexOf(delimiter);
  while (pos >= 0) {
    let start = pos + delimiter.length;
    if (raw.subarray(start, start + 2).toString() === "--") break;
    if (raw.subarray(start, start + 2).toString() === "\r\n") start += 2;
    const next = raw.indexOf(delimiter, start);
    if (next < 0) break;
    let part = raw.subarray(start, next);
    if (part.subarray(-2).toString() === "\r\n") part = part.subarray(0, -2);
    const headerEnd = part.indexOf("\r\n\r\n");
    if (headerEnd >= 0) {
      const headers = part.subarray(0, headerEnd).toString("utf8");
      const content = part.subarray(headerEnd + 4);
      const name = /name="([^"]*)"/i.exec(headers)?.[1];
      const filename = /filename="([^"]*)"/i.exec(headers)?.[1] ?? /filename=([^;\r\n]+)/i.exec(headers)?.[1];
      if (name !== undefined) {
        if (filename !== undefined) uploads.set(name, { name, filename: filename.trim(), bytes: Buffer.from(content) });
        else fields[name] = content.toString("utf8");
      }
    }
    pos = next;
  }
}
