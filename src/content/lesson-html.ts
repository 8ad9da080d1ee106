import { marked } from "marked";
import type { Token, Tokens } from "marked";
import { escapeHtml } from "./escape-html.js";
import type { Lesson } from "./types.js";

/** Where we are inside Telegram's nesting rules: no entity inside code, no quote inside a quote. */
interface Context {
  inLink: boolean;
  inQuote: boolean;
}

const TOP: Context = { inLink: false, inQuote: false };
const SAFE_LINK = /^(https?:|tg:|mailto:)/i;
const INDENT = "   ";

/** The lesson as Telegram HTML: its title in bold, then the body. */
export function renderLessonHtml(lesson: Pick<Lesson, "title" | "body" | "html">): string {
  const body = lesson.html ?? markdownToTelegramHtml(lesson.body);
  const title = `<b>${escapeHtml(lesson.title.trim())}</b>`;
  return body ? `${title}\n\n${body}` : title;
}

/** Markdown to Telegram's HTML parse mode; raw HTML in the Markdown comes out as visible text. */
export function markdownToTelegramHtml(markdown: string): string {
  return blocks(marked.lexer(markdown), TOP);
}

function blocks(tokens: Token[], ctx: Context): string {
  return tokens
    .map((t) => block(t, ctx))
    .filter((s) => s !== "")
    .join("\n\n");
}

function block(token: Token, ctx: Context): string {
  const t = token as Tokens.Generic;
  switch (token.type) {
    case "space":
    case "def":
      return "";
    case "heading":
      return `<b>${inline((token as Tokens.Heading).tokens, ctx)}</b>`;
    case "paragraph":
      return inline((token as Tokens.Paragraph).tokens, ctx);
    case "text":
      return t.tokens ? inline(t.tokens, ctx) : escapeHtml(String(t.text));
    case "code": {
      const code = token as Tokens.Code;
      const text = escapeHtml(code.text);
      if (ctx.inQuote) return text;
      const lang = code.lang?.trim().split(/\s/)[0] ?? "";
      return /^[\w+#-]+$/.test(lang) ? `<pre><code class="language-${lang}">${text}</code></pre>` : `<pre>${text}</pre>`;
    }
    case "blockquote": {
      const inner = blocks((token as Tokens.Blockquote).tokens, { ...ctx, inQuote: true });
      return ctx.inQuote ? inner : `<blockquote>${inner}</blockquote>`;
    }
    case "list":
      return list(token as Tokens.List, 0, ctx);
    case "hr":
      return "———";
    case "html":
      return escapeHtml((token as Tokens.HTML).text.trim());
    case "table":
      return table(token as Tokens.Table, ctx);
    default:
      return "tokens" in t && Array.isArray(t.tokens) ? inline(t.tokens, ctx) : escapeHtml(String(t.raw ?? ""));
  }
}

function list(token: Tokens.List, depth: number, ctx: Context): string {
  const start = typeof token.start === "number" ? token.start : 1;
  const lines: string[] = [];
  token.items.forEach((item, i) => {
    const marker = token.ordered ? `${start + i}.` : "•";
    const own: string[] = [];
    const nested: string[] = [];
    for (const child of item.tokens) {
      if (child.type === "list") nested.push(list(child as Tokens.List, depth + 1, ctx));
      else if (child.type === "checkbox") own.push((child as Tokens.Checkbox).checked ? "☑" : "☐");
      else {
        const text = block(child, ctx);
        if (text) own.push(text);
      }
    }
    const pad = INDENT.repeat(depth);
    const content = own.join(" ").replace(/\n+/g, `\n${pad}${INDENT}`);
    lines.push(`${pad}${marker} ${content}`, ...nested);
  });
  return lines.join("\n");
}

function table(token: Tokens.Table, ctx: Context): string {
  const row = (cells: Tokens.TableCell[]): string => cells.map((c) => inline(c.tokens, ctx)).join(" | ");
  return [`<b>${row(token.header)}</b>`, ...token.rows.map(row)].join("\n");
}

function inline(tokens: Token[], ctx: Context): string {
  return tokens.map((t) => inlineToken(t, ctx)).join("");
}

function inlineToken(token: Token, ctx: Context): string {
  switch (token.type) {
    case "text":
    case "escape": {
      const t = token as Tokens.Text;
      return t.tokens ? inline(t.tokens, ctx) : escapeHtml(t.text);
    }
    case "strong":
      return `<b>${inline((token as Tokens.Strong).tokens, ctx)}</b>`;
    case "em":
      return `<i>${inline((token as Tokens.Em).tokens, ctx)}</i>`;
    case "del":
      return `<s>${inline((token as Tokens.Del).tokens, ctx)}</s>`;
    case "codespan": {
      const text = escapeHtml((token as Tokens.Codespan).text);
      return ctx.inLink ? text : `<code>${text}</code>`;
    }
    case "br":
      return "\n";
    case "link": {
      const link = token as Tokens.Link;
      const text = inline(link.tokens, { ...ctx, inLink: true });
      return linkHtml(link.href, text || escapeHtml(link.href), ctx);
    }
    case "image": {
      const image = token as Tokens.Image;
      return linkHtml(image.href, escapeHtml(image.text || image.href), ctx);
    }
    case "html":
      return escapeHtml((token as Tokens.Tag).text);
    default: {
      const t = token as Tokens.Generic;
      return Array.isArray(t.tokens) ? inline(t.tokens, ctx) : escapeHtml(String(t.raw ?? ""));
    }
  }
}

/** Only links Telegram opens safely become links; anything else stays as its text. */
function linkHtml(href: string, html: string, ctx: Context): string {
  const target = href.trim();
  if (ctx.inLink || !SAFE_LINK.test(target) || /[\s<>]/.test(target)) return html;
  return `<a href="${escapeHtml(target)}">${html}</a>`;
}
