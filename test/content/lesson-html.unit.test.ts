import { describe, expect, it } from "vitest";
import { escapeHtml } from "../../src/content/index.js";
import { markdownToTelegramHtml, renderLessonHtml } from "../../src/content/lesson-html.js";
import { checkTelegramHtml } from "./html-checker.js";

const md = markdownToTelegramHtml;

describe("escapeHtml", () => {
  it("escapes &, <, > and quotes", () => {
    expect(escapeHtml(`a < b > c & "d"`)).toBe("a &lt; b &gt; c &amp; &quot;d&quot;");
  });
});

describe("markdownToTelegramHtml escaping", () => {
  it("escapes <script>, & and comparison signs in text", () => {
    expect(md("a < b > c & d <script>alert(1)</script>")).toBe(
      "a &lt; b &gt; c &amp; d &lt;script&gt;alert(1)&lt;/script&gt;",
    );
  });

  it("shows raw HTML blocks as text instead of passing them through", () => {
    const html = md('<div onclick="x()">hi</div>\n\n<b>not bold</b> text');
    expect(html).toBe("&lt;div onclick=&quot;x()&quot;&gt;hi&lt;/div&gt;\n\n&lt;b&gt;not bold&lt;/b&gt; text");
    expect(checkTelegramHtml(html)).toBeUndefined();
  });

  it("keeps only http, https, tg and mailto links", () => {
    expect(md("[bad](javascript:alert(1)) [data](data:text/html,x) [rel](/x)")).toBe("bad data rel");
    expect(md("[ok](https://e.org/?a=1&b=2) [tg](tg://resolve?domain=x) [m](mailto:a@b.c)")).toBe(
      '<a href="https://e.org/?a=1&amp;b=2">ok</a> <a href="tg://resolve?domain=x">tg</a> <a href="mailto:a@b.c">m</a>',
    );
  });

  it("escapes inside inline code and code blocks", () => {
    expect(md("`a<b && c`")).toBe("<code>a&lt;b &amp;&amp; c</code>");
    expect(md("```\nif (a < b) {}\n```")).toBe("<pre>if (a &lt; b) {}</pre>");
    expect(md("```js\nx\n```")).toBe('<pre><code class="language-js">x</code></pre>');
  });
});

describe("markdownToTelegramHtml formatting", () => {
  it("renders emphasis, strike-through and headings", () => {
    expect(md("**b** __b2__ _i_ *i2* ~~s~~")).toBe("<b>b</b> <b>b2</b> <i>i</i> <i>i2</i> <s>s</s>");
    expect(md("## 标题\n\n段落")).toBe("<b>标题</b>\n\n段落");
  });

  it("renders lists with bullets, numbers and indented nesting", () => {
    expect(md("- a\n- b\n  1. c\n  2. d\n\n3. x\n4. y")).toBe("• a\n• b\n   1. c\n   2. d\n\n3. x\n4. y");
  });

  it("renders quotes, rules and images", () => {
    expect(md("> 引用 **重点**")).toBe("<blockquote>引用 <b>重点</b></blockquote>");
    expect(md("a\n\n---\n\nb")).toBe("a\n\n———\n\nb");
    expect(md("![滴灌](https://e.org/p.png) ![本地](images/p.png)")).toBe('<a href="https://e.org/p.png">滴灌</a> 本地');
  });

  it("renders every sample-style lesson as valid Telegram HTML", () => {
    const html = md("# T\n\n**a _b_** `c` [d](https://e.org)\n\n- x\n  - y\n\n> q\n> > nested\n\n```\nz\n```");
    expect(checkTelegramHtml(html)).toBeUndefined();
  });
});

describe("renderLessonHtml", () => {
  it("puts the escaped title in bold on top", () => {
    expect(renderLessonHtml({ title: "A & <B>", body: "正文" })).toBe("<b>A &amp; &lt;B&gt;</b>\n\n正文");
  });
});
