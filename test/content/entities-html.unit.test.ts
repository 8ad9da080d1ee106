import { describe, expect, it } from "vitest";
import { entitiesToTelegramHtml } from "../../src/content/entities-html.js";

describe("a Telegram message's entities as lesson HTML", () => {
  it("keeps bold, italic, underline, strike, spoiler, code, pre and links, nested as Telegram nests them", () => {
    const text = "Bold italic under strike secret code block link";
    const html = entitiesToTelegramHtml(text, [
      { type: "bold", offset: 0, length: 11 },
      { type: "italic", offset: 5, length: 6 },
      { type: "underline", offset: 12, length: 5 },
      { type: "strikethrough", offset: 18, length: 6 },
      { type: "spoiler", offset: 25, length: 6 },
      { type: "code", offset: 32, length: 4 },
      { type: "pre", offset: 37, length: 5, language: "ts" },
      { type: "text_link", offset: 43, length: 4, url: "https://example.org/a?b=1&c=2" },
    ]);
    expect(html).toBe(
      '<b>Bold <i>italic</i></b> <u>under</u> <s>strike</s> <tg-spoiler>secret</tg-spoiler> <code>code</code> <pre><code class="language-ts">block</code></pre> <a href="https://example.org/a?b=1&amp;c=2">link</a>',
    );
  });

  it("escapes what people wrote, and turns unsafe links, mentions and entities inside code into plain text", () => {
    const text = "<b>x</b> & go @someone";
    const html = entitiesToTelegramHtml(text, [
      { type: "code", offset: 0, length: 8 },
      { type: "bold", offset: 3, length: 1 },
      { type: "text_link", offset: 11, length: 2, url: "javascript:alert(1)" },
      { type: "mention", offset: 14, length: 8 },
    ]);
    expect(html).toBe("<code>&lt;b&gt;x&lt;/b&gt;</code> &amp; go @someone");
  });

  it("counts offsets in UTF-16 units, so text after an emoji keeps its formatting in place", () => {
    const text = "👍 好 and 好";
    expect(entitiesToTelegramHtml(text, [{ type: "bold", offset: 3, length: 1 }, { type: "italic", offset: 9, length: 1 }])).toBe("👍 <b>好</b> and <i>好</i>");
  });

  it("drops an entity that half-overlaps another or runs past the text", () => {
    expect(entitiesToTelegramHtml("abcdef", [{ type: "bold", offset: 0, length: 4 }, { type: "italic", offset: 2, length: 4 }, { type: "underline", offset: 5, length: 9 }])).toBe("<b>abcd</b>ef");
  });
});
