import type { MessageEntity } from "grammy/types";
import { describe, expect, it } from "vitest";
import { entitiesToTelegramHtml } from "../../../src/content/index.js";
import { rendersBack, telegramHtmlToMarkdown } from "../../../src/lessons/authoring/html-markdown.js";

/** A message as the author typed it, through the bot's own conversion, to Markdown. */
const exported = (text: string, entities: MessageEntity[] = []) => {
  const html = entitiesToTelegramHtml(text, entities);
  return { html, ...telegramHtmlToMarkdown(html) };
};

describe("a written lesson's HTML as Markdown", () => {
  it.each([
    ["bold, italic inside it, strike and a link with brackets", "粗体斜体删除 详见链接", [
      { type: "bold", offset: 0, length: 4 },
      { type: "italic", offset: 2, length: 2 },
      { type: "strikethrough", offset: 4, length: 2 },
      { type: "text_link", offset: 9, length: 2, url: "https://example.org/a_(b)" },
    ]],
    ["characters Markdown gives meaning, kept as text", '张<芳> & 赵"老三" *x* _y_ `z` [a](b) ~~s~~ a|b &lt;\n# 不是标题\n1. 不是列表\n- 不是列表\n> 不是引用\n---', []],
    ["inline code with a backtick in it", "运行 a`b 即可", [{ type: "code", offset: 3, length: 3 }]],
    ["a code block with its language", "示例：\n\nconst a = 1;\nconst b = `x`;", [{ type: "pre", offset: 5, length: 27, language: "js" }]],
    ["paragraphs and line breaks", "第一段\n第一段第二行\n\n第二段", []],
  ] as [string, string, MessageEntity[]][])("%s renders back to the same HTML", (_, text, entities) => {
    const { html, markdown, lost } = exported(text, entities);
    expect(lost).toEqual([]);
    expect(rendersBack(markdown, html)).toBe(true);
  });

  it("underline and spoiler keep their text and are named as lost", () => {
    const { markdown, lost } = exported("下划线 剧透", [{ type: "underline", offset: 0, length: 3 }, { type: "spoiler", offset: 4, length: 2 }]);
    expect(markdown).toBe("下划线 剧透");
    expect(lost.sort()).toEqual(["spoiler", "underline"]);
  });

  it("says when the Markdown does not render back (bold around CJK quotes cannot be written in Markdown)", () => {
    const { markdown, html, lost } = exported("中“三会一课”中", [{ type: "bold", offset: 1, length: 6 }]);
    expect(lost).toEqual([]);
    expect(rendersBack(markdown, html)).toBe(false);
  });
});
