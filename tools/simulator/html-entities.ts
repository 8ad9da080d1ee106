import type { MessageEntity } from "grammy/types";
import { badRequest, type ApiError } from "./errors.js";

/** Text and entities as Telegram stores them after parsing a message's formatting. */
export interface ParsedText {
  text: string;
  entities: MessageEntity[];
}

export interface HtmlOptions {
  /** Telegram keeps unknown named entities such as `&nbsp;` literally; set to reject them instead. */
  rejectUnknownEntities?: boolean;
}

const SUPPORTED = new Set([
  "a", "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre",
  "blockquote", "tg-spoiler", "span", "tg-emoji",
]);
const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

interface Open {
  tag: string;
  start: number; // UTF-16 offset in the output text
  attrs: Map<string, string>;
}

const fail = (why: string): ApiError => badRequest(`can't parse entities: ${why}`);

/** Parses Telegram's HTML subset into plain text and entities, failing like Telegram does. */
export function parseHtml(html: string, options: HtmlOptions = {}): ParsedText {
  const bytesBefore = (i: number): number => Buffer.byteLength(html.slice(0, i), "utf8");
  let text = "";
  const entities: MessageEntity[] = [];
  const stack: Open[] = [];
  let i = 0;
  while (i < html.length) {
    const ch = html[i] as string;
    if (ch === "&") {
      const m = /^&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{1,10});/.exec(html.slice(i, i + 12));
      const decoded = m ? decodeEntity(m[1] as string) : undefined;
      if (m && decoded !== undefined) {
        text += decoded;
        i += m[0].length;
        continue;
      }
      if (m && options.rejectUnknownEntities) {
        throw fail(`Unsupported HTML entity "${m[0]}" at byte offset ${bytesBefore(i)}`);
      }
      text += ch;
      i++;
      continue;
    }
    if (ch !== "<") {
      text += ch;
      i++;
      continue;
    }
    const begin = i;
    if (html[i + 1] === "/") {
      const close = html.indexOf(">", i);
      if (close < 0) throw fail(`Unclosed end tag at byte offset ${bytesBefore(begin)}`);
      const name = html.slice(i + 2, close).trim().toLowerCase();
      const open = stack.pop();
      if (!open) throw fail(`Unexpected end tag at byte offset ${bytesBefore(begin)}`);
      if (name !== "" && name !== open.tag) {
        throw fail(
          `Unmatched end tag at byte offset ${bytesBefore(begin)}, expected "</${open.tag}>", found "</${name}>"`,
        );
      }
      closeEntity(open, text.length, entities, stack);
      i = close + 1;
      continue;
    }
    i++;
    while (i < html.length && !/[\s>]/.test(html[i] as string)) i++;
    if (i >= html.length) throw fail(`Unclosed start tag at byte offset ${bytesBefore(begin)}`);
    const tag = html.slice(begin + 1, i).toLowerCase();
    if (!SUPPORTED.has(tag)) throw fail(`Unsupported start tag "${tag}" at byte offset ${bytesBefore(begin)}`);
    const attrs = new Map<string, string>();
    for (;;) {
      while (i < html.length && /\s/.test(html[i] as string)) i++;
      if (i >= html.length) throw fail(`Unclosed start tag at byte offset ${bytesBefore(begin)}`);
      if (html[i] === ">") break;
      const nameStart = i;
      while (i < html.length && !/[\s=>]/.test(html[i] as string)) i++;
      const attr = html.slice(nameStart, i).toLowerCase();
      if (attr === "") throw fail(`Empty attribute name in the tag "${tag}" at byte offset ${bytesBefore(begin)}`);
      while (i < html.length && /\s/.test(html[i] as string)) i++;
      if (html[i] !== "=") {
        if (tag === "blockquote" && attr === "expandable") {
          attrs.set(attr, "");
          continue;
        }
        throw fail(`Expected equal sign in declaration of an attribute of the tag "${tag}" at byte offset ${bytesBefore(begin)}`);
      }
      i++;
      while (i < html.length && /\s/.test(html[i] as string)) i++;
      const quote = html[i];
      let value: string;
      if (quote === '"' || quote === "'") {
        const end = html.indexOf(quote, i + 1);
        if (end < 0) throw fail(`Unclosed end of an attribute value at byte offset ${bytesBefore(begin)}`);
        value = html.slice(i + 1, end);
        i = end + 1;
      } else {
        const start = i;
        while (i < html.length && !/[\s>]/.test(html[i] as string)) i++;
        value = html.slice(start, i);
      }
      attrs.set(attr, decodeAttribute(value));
    }
    i++; // past ">"
    if (tag === "span" && attrs.get("class") !== "tg-spoiler") {
      throw fail(`Tag "span" must have class "tg-spoiler" at byte offset ${bytesBefore(begin)}`);
    }
    if (tag === "tg-emoji" && !attrs.has("emoji-id")) {
      throw fail(`Custom emoji entity must contain a tg://emoji URL at byte offset ${bytesBefore(begin)}`);
    }
    stack.push({ tag, start: text.length, attrs });
  }
  const unclosed = stack.at(-1);
  if (unclosed) throw fail(`Can't find end tag corresponding to start tag "${unclosed.tag}"`);
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text, entities };
}

function decodeEntity(body: string): string | undefined {
  if (body.startsWith("#x")) return codePoint(parseInt(body.slice(2), 16));
  if (body.startsWith("#")) return codePoint(parseInt(body.slice(1), 10));
  return NAMED[body];
}

function codePoint(n: number): string | undefined {
  return n > 0 && n <= 0x10ffff && (n < 0xd800 || n > 0xdfff) ? String.fromCodePoint(n) : undefined;
}

function decodeAttribute(value: string): string {
  return value.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{1,10});/g, (all, body: string) => {
    return decodeEntity(body) ?? all;
  });
}

function closeEntity(open: Open, end: number, out: MessageEntity[], stack: Open[]): void {
  const offset = open.start;
  const length = end - offset;
  if (length === 0) return;
  switch (open.tag) {
    case "b":
    case "strong":
      out.push({ type: "bold", offset, length });
      return;
    case "i":
    case "em":
      out.push({ type: "italic", offset, length });
      return;
    case "u":
    case "ins":
      out.push({ type: "underline", offset, length });
      return;
    case "s":
    case "strike":
    case "del":
      out.push({ type: "strikethrough", offset, length });
      return;
    case "tg-spoiler":
    case "span":
      out.push({ type: "spoiler", offset, length });
      return;
    case "blockquote":
      out.push({ type: open.attrs.has("expandable") ? "expandable_blockquote" : "blockquote", offset, length });
      return;
    case "tg-emoji":
      out.push({ type: "custom_emoji", offset, length, custom_emoji_id: open.attrs.get("emoji-id") ?? "" });
      return;
    case "a": {
      const href = open.attrs.get("href");
      if (href) out.push({ type: "text_link", offset, length, url: href });
      return;
    }
    case "code": {
      const parent = stack.at(-1);
      const lang = /^language-(.+)$/.exec(open.attrs.get("class") ?? "")?.[1];
      if (parent?.tag === "pre" && parent.start === offset && lang) {
        parent.attrs.set("language", lang);
        return;
      }
      out.push({ type: "code", offset, length });
      return;
    }
    case "pre": {
      const language = open.attrs.get("language");
      out.push(language ? { type: "pre", offset, length, language } : { type: "pre", offset, length });
      return;
    }
  }
}

/** Telegram counts message length in UTF-16 code units, which is what JS string length is. */
export const utf16Length = (s: string): number => s.length;

/** Finds `/command` and `/command@bot` entities and `@mentions` the way Telegram clients mark them. */
export function detectEntities(text: string): MessageEntity[] {
  const out: MessageEntity[] = [];
  const re = /(^|[\s(])(\/[a-zA-Z0-9_]{1,32}(?:@[a-zA-Z0-9_]{3,32})?|@[a-zA-Z0-9_]{5,32})(?=$|[\s.,!?;:)])/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const token = m[2] as string;
    const offset = m.index + (m[1] as string).length;
    out.push({ type: token.startsWith("/") ? "bot_command" : "mention", offset, length: token.length });
  }
  return out;
}
