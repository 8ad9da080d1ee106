import { markdownToTelegramHtml } from "../../content/lesson-html.js";

/**
 * A written lesson's Telegram HTML (the subset entities-html.ts makes: b, i, u, s, tg-spoiler, code, pre, safe
 * links) as the Markdown lesson files are written in, so that the content loader renders it back to the same HTML.
 * Underline and spoiler have no Markdown form: their text stays, their formatting is named in `lost`.
 */
export function telegramHtmlToMarkdown(html: string): { markdown: string; lost: string[] } {
  const lost = new Set<string>();
  const out: string[] = [];
  /** What each open tag closes with, innermost last. */
  const open: { tag: string; close: string }[] = [];
  let verbatim: { fence: string; text: string; block: boolean; lang: string } | undefined;
  const TAG = /<(\/?)(b|i|u|s|tg-spoiler|code|pre|a)((?:\s+(?:href|class)="[^"]*")*)\s*>/g;
  let at = 0;
  for (let m = TAG.exec(html); m; m = TAG.exec(html)) {
    const text = unescape(html.slice(at, m.index));
    at = m.index + m[0].length;
    const [, closing, tag = "", attrs = ""] = m;
    if (verbatim) {
      verbatim.text += text;
      // Inside code and pre only their own closing tags count (a <code class> inside <pre> is the language).
      if (closing && (tag === "pre" || (tag === "code" && !verbatim.block))) {
        out.push(verbatimMarkdown(verbatim));
        verbatim = undefined;
      } else if (!closing && tag === "code" && verbatim.block) {
        verbatim.lang = /class="language-([^"]*)"/.exec(attrs)?.[1] ?? "";
      }
      continue;
    }
    out.push(escapeMarkdown(text));
    if (tag === "code" || tag === "pre") {
      if (!closing) verbatim = { fence: "", text: "", block: tag === "pre", lang: "" };
      continue;
    }
    if (closing) {
      const top = open.pop();
      if (top) out.push(top.close);
      continue;
    }
    switch (tag) {
      case "b":
        open.push({ tag, close: "**" });
        out.push("**");
        break;
      case "i":
        open.push({ tag, close: "*" });
        out.push("*");
        break;
      case "s":
        open.push({ tag, close: "~~" });
        out.push("~~");
        break;
      case "a": {
        const href = unescape(/href="([^"]*)"/.exec(attrs)?.[1] ?? "");
        open.push({ tag, close: `](${href.replace(/[()\\]/g, "\\$&")})` });
        out.push("[");
        break;
      }
      default:
        lost.add(tag === "u" ? "underline" : "spoiler");
        open.push({ tag, close: "" });
    }
  }
  out.push(escapeMarkdown(unescape(html.slice(at))));
  const markdown = out
    .join("")
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  return { markdown, lost: [...lost] };
}

/** Whether the Markdown renders back to the HTML it came from (blank-line runs aside, which Markdown folds). */
export function rendersBack(markdown: string, html: string): boolean {
  const fold = (s: string) => s.replace(/\n{3,}/g, "\n\n").trim();
  return fold(markdownToTelegramHtml(markdown)) === fold(html);
}

function verbatimMarkdown(v: { text: string; block: boolean; lang: string }): string {
  const longest = Math.max(0, ...[...v.text.matchAll(/`+/g)].map((r) => r[0].length));
  if (v.block) {
    const fence = "`".repeat(Math.max(3, longest + 1));
    return `\n\n${fence}${v.lang}\n${v.text.replace(/\n$/, "")}\n${fence}\n\n`;
  }
  const fence = "`".repeat(longest + 1);
  const pad = v.text.startsWith("`") || v.text.endsWith("`") ? " " : "";
  return `${fence}${pad}${v.text}${pad}${fence}`;
}

const ENTITIES: Record<string, string> = { "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&amp;": "&" };

function unescape(s: string): string {
  return s.replace(/&(lt|gt|quot|#39|amp);/g, (e) => ENTITIES[e] ?? e);
}

/**
 * Plain text as Markdown that reads as the same text: the characters Markdown gives meaning inline are
 * backslash-escaped, and a line that would start a heading, quote, list or rule is escaped at its start.
 */
function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_[\]<>~|!&]/g, "\\$&")
    .replace(/^([ \t]*)([#>+=-]|\d+[.)])/gm, (_, space: string, mark: string) => `${space}${mark.replace(/^(\d+)([.)])$/, "$1\\$2").replace(/^([#>+=-])$/, "\\$1")}`);
}
