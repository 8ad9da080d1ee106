import type { MessageEntity } from "grammy/types";
import { escapeHtml } from "./escape-html.js";

/** Links Telegram opens safely; the same rule as Markdown lessons' links (lesson-html.ts). */
const SAFE_LINK = /^(https?:|tg:|mailto:)/i;

/** The tags each kept entity becomes; every other entity (mentions, hashtags, custom emoji…) stays plain text. */
function tags(entity: MessageEntity): [open: string, close: string] | undefined {
  switch (entity.type) {
    case "bold":
      return ["<b>", "</b>"];
    case "italic":
      return ["<i>", "</i>"];
    case "underline":
      return ["<u>", "</u>"];
    case "strikethrough":
      return ["<s>", "</s>"];
    case "spoiler":
      return ["<tg-spoiler>", "</tg-spoiler>"];
    case "code":
      return ["<code>", "</code>"];
    case "pre": {
      const lang = entity.language?.trim() ?? "";
      return /^[\w+#-]+$/.test(lang) ? [`<pre><code class="language-${lang}">`, "</code></pre>"] : ["<pre>", "</pre>"];
    }
    case "text_link": {
      const target = entity.url.trim();
      if (!SAFE_LINK.test(target) || /[\s<>]/.test(target)) return undefined;
      return [`<a href="${escapeHtml(target)}">`, "</a>"];
    }
    default:
      return undefined;
  }
}

const VERBATIM = new Set(["code", "pre"]);

/**
 * A Telegram message's text and `entities` (UTF-16 offsets) as the safe HTML subset lessons are sent in:
 * bold, italic, underline, strike, spoiler, code, pre and safe links; everything else escaped. Telegram nests
 * entities (one wholly inside another, never half-overlapping); one that would half-overlap, one inside code
 * or a link inside a link is dropped, keeping its text.
 */
export function entitiesToTelegramHtml(text: string, entities: readonly MessageEntity[] = []): string {
  const kept = entities
    .map((e) => ({ e, tag: tags(e), end: e.offset + e.length }))
    .filter((k): k is { e: MessageEntity; tag: [string, string]; end: number } => k.tag !== undefined && k.e.length > 0 && k.e.offset >= 0 && k.end <= text.length)
    .sort((a, b) => a.e.offset - b.e.offset || b.e.length - a.e.length);
  const open: { end: number; close: string; type: string }[] = [];
  let out = "";
  let at = 0;
  const closeUpTo = (pos: number): void => {
    for (let top = open.at(-1); top && top.end <= pos; top = open.at(-1)) {
      out += escapeHtml(text.slice(at, top.end)) + top.close;
      at = top.end;
      open.pop();
    }
  };
  for (const k of kept) {
    closeUpTo(k.e.offset);
    const parent = open.at(-1);
    if (parent && (k.end > parent.end || VERBATIM.has(parent.type))) continue;
    if (k.e.type === "text_link" && open.some((o) => o.type === "text_link")) continue;
    out += escapeHtml(text.slice(at, k.e.offset)) + k.tag[0];
    at = k.e.offset;
    open.push({ end: k.end, close: k.tag[1], type: k.e.type });
  }
  closeUpTo(text.length);
  return out + escapeHtml(text.slice(at));
}
