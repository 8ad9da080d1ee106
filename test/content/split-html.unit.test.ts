import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadCurriculum, splitTelegramHtml, visibleLength } from "../../src/content/index.js";
import { renderLessonHtml } from "../../src/content/lesson-html.js";
import { checkTelegramHtml, visibleText } from "./html-checker.js";

const squash = (s: string): string => s.replace(/\s+/g, "");

function longLesson(chars: number): string {
  const paragraphs: string[] = [];
  let total = 0;
  for (let i = 0; total < chars + 200; i++) {
    const p = `第${i}段：这是**重点内容**，包含 a < b & c 的比较。${"普通的说明文字，".repeat(20)}最后一句。`;
    paragraphs.push(p);
    total += p.length;
  }
  return renderLessonHtml({ title: "长课程", body: paragraphs.join("\n\n") });
}

describe("visibleLength", () => {
  it("counts text after entity parsing, in UTF-16 code units", () => {
    expect(visibleLength("<b>a &amp; b</b>")).toBe(5);
    expect(visibleLength("&lt;&gt;&quot;&#33;&#x21;")).toBe(5);
    expect(visibleLength("😀")).toBe(2);
    expect(visibleLength('<a href="https://e.org">链接</a>')).toBe(2);
  });
});

describe("splitTelegramHtml", () => {
  it("leaves a short message alone", () => {
    expect(splitTelegramHtml("<b>hi</b>")).toEqual(["<b>hi</b>"]);
  });

  it("splits a 10,000-character lesson into valid parts within the limit, losing nothing", () => {
    const html = longLesson(10_000);
    expect(visibleLength(html)).toBeGreaterThan(10_000);
    const parts = splitTelegramHtml(html);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    for (const part of parts) {
      expect(visibleLength(part)).toBeLessThanOrEqual(4096);
      expect(checkTelegramHtml(part)).toBeUndefined();
    }
    expect(squash(parts.map(visibleText).join(""))).toBe(squash(visibleText(html)));
  });

  it("prefers paragraph boundaries", () => {
    const html = longLesson(10_000);
    const parts = splitTelegramHtml(html);
    for (const part of parts.slice(0, -1)) expect(part.endsWith("最后一句。")).toBe(true);
  });

  it("closes tags at a cut and reopens them in the next part", () => {
    const html = `<b>${"这是一个句子。".repeat(30)}</b>\n\n<i>second</i>`;
    const parts = splitTelegramHtml(html, 50);
    for (const part of parts) {
      expect(checkTelegramHtml(part)).toBeUndefined();
      expect(visibleLength(part)).toBeLessThanOrEqual(50);
    }
    expect(parts[1]?.startsWith("<b>")).toBe(true);
    expect(parts[0]?.endsWith("。</b>")).toBe(true);
    expect(squash(parts.map(visibleText).join(""))).toBe(squash(visibleText(html)));
  });

  it("falls back to line breaks, then spaces, then a hard cut, never inside an entity or a surrogate pair", () => {
    const lines = splitTelegramHtml("aaaa bbbb\ncccc dddd", 12);
    expect(lines).toEqual(["aaaa bbbb", "cccc dddd"]);
    expect(splitTelegramHtml("aaaa bbbb cccc", 10)).toEqual(["aaaa bbbb", "cccc"]);
    const hard = splitTelegramHtml(`&amp;&amp;&amp;😀😀x`, 4);
    expect(hard).toEqual(["&amp;&amp;&amp;", "😀😀", "x"]);
  });

  it("keeps every sample lesson valid when split small", async () => {
    const c = await loadCurriculum(path.resolve(import.meta.dirname, "../../content"));
    for (const lesson of c.lessons) {
      const html = renderLessonHtml(lesson);
      expect(checkTelegramHtml(html), lesson.file).toBeUndefined();
      const parts = splitTelegramHtml(html, 200);
      for (const part of parts) {
        expect(checkTelegramHtml(part), lesson.file).toBeUndefined();
        expect(visibleLength(part)).toBeLessThanOrEqual(200);
      }
      expect(squash(parts.map(visibleText).join(""))).toBe(squash(visibleText(html)));
    }
  });
});
