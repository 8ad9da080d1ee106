import { describe, expect, it } from "vitest";
import { answerHeader, excerpt, expertCard, headedCaption, messageLink, openLine, truncate, CAPTION_LIMIT } from "../../src/questions/questions.text.js";
import { createI18n, translatorOf } from "../../src/shared/i18n.js";
import type { QuestionState } from "../../src/questions/index.js";

const t = translatorOf(createI18n("zh", () => undefined));

function question(over: Partial<QuestionState> = {}): QuestionState {
  return {
    id: 17,
    chatId: -1001234567890,
    messageId: 5,
    groupId: -1001234567890,
    groupTitle: "红星村 <学习> 群",
    userId: 7,
    userName: "李<明>",
    track: "technology",
    text: "a<b>c & d</b> &amp; 怎么办？",
    locale: "zh",
    timeZone: "Asia/Shanghai",
    askedAt: 0,
    reminderHours: 24,
    answers: 0,
    ...over,
  };
}

/** What Telegram shows for a piece of HTML (the simulator's parser is strict like Telegram's). */
function visible(html: string): string {
  return html.replace(/<[^>]+>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
}

describe("the question card experts see", () => {
  it("shows number, track, member, group and lesson, and the text exactly as typed", () => {
    const html = expertCard(t, "zh", question({ lessonTitle: "选种 & 育苗" }));
    const shown = visible(html);
    expect(shown).toContain("问题 #17 · 实用技术");
    expect(shown).toContain("李<明> · 红星村 <学习> 群");
    expect(shown).toContain("关于课程：选种 & 育苗");
    expect(shown).toContain("a<b>c & d</b> &amp; 怎么办？");
    // Nothing the member typed became markup.
    expect(html).not.toMatch(/<b>c/);
    expect(html).toContain("&amp;amp;");
  });

  it("says where a private question came from and that media follows", () => {
    const shown = visible(expertCard(t, "zh", question({ groupId: undefined, groupTitle: undefined, media: "voice" })));
    expect(shown).toContain("私聊提问");
    expect(shown).toContain("语音见下条");
  });

  it("a reminder card says so and still carries the question", () => {
    const shown = visible(expertCard(t, "zh", question(), { reminder: true }));
    expect(shown).toContain("24 小时没有人回答");
    expect(shown).toContain("问题 #17");
  });

  it("long names and texts are cut with an ellipsis, never mid-character", () => {
    const long = question({ userName: "名".repeat(200), text: "😀".repeat(4000) });
    const shown = visible(expertCard(t, "zh", long));
    expect(shown).toContain(`${"名".repeat(63)}…`);
    expect(shown).not.toContain("名".repeat(65));
    expect([...shown].filter((c) => c === "😀").length).toBe(2999);
    expect(shown.length).toBeLessThan(4096 * 2);
  });
});

describe("text helpers", () => {
  it("truncate counts code points", () => {
    expect(truncate("abc", 3)).toBe("abc");
    expect(truncate("abcd", 3)).toBe("ab…");
    expect(truncate("😀😀😀😀", 3)).toBe("😀😀…");
  });

  it("excerpt makes one line", () => {
    expect(excerpt("a\n\n b\tc", 10)).toBe("a b c");
  });

  it("links to supergroup messages only", () => {
    expect(messageLink(-1001234567890, 55)).toBe("https://t.me/c/1234567890/55");
    expect(messageLink(-4000000001, 55)).toBeUndefined();
    expect(messageLink(12345, 55)).toBeUndefined();
  });

  it("an /open line links to the card and escapes the group and text", () => {
    const line = openLine(t, "zh", question({ card: { messageId: 99 }, askedAt: 0 }), { now: 5 * 3_600_000, expertsChatId: -1009876543210 });
    expect(line).toContain('href="https://t.me/c/9876543210/99"');
    expect(line).toContain("#17 · 实用技术 · 红星村 &lt;学习&gt; 群 · 5 小时前");
    expect(visible(line)).toContain("a<b>c & d</b>");
  });

  it("the answer header and a relayed caption escape the expert's words and fit Telegram's caption limit", () => {
    const header = answerHeader(t, "zh", "张<工>", 17);
    expect(visible(header)).toBe("💡 专家 张<工> 回答了问题 #17");
    const caption = headedCaption(header, "<&>".repeat(600));
    expect(visible(caption).length).toBeLessThanOrEqual(CAPTION_LIMIT);
    expect(visible(caption)).toContain("<&><&>");
    expect(headedCaption(header, "")).toBe(header);
  });
});
