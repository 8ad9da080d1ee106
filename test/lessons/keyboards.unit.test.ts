import { describe, expect, it } from "vitest";
import { missedKeyboard } from "../../src/lessons/lessons.keyboards.js";

const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe("button labels", () => {
  it("a /lessons button label with an emoji at the 60th unit is cut between graphemes", () => {
    const label = `${"课".repeat(59)}😀后面还有`;
    const text = missedKeyboard([{ groupId: -1, lessonId: "technology-01", label }]).inline_keyboard[0]?.[0]?.text ?? "";
    expect(text).not.toMatch(LONE);
    expect(text).toBe(`${"课".repeat(59)}…`);
  });

  it("a ZWJ family in a label stays whole", () => {
    const family = "👨‍👩‍👧‍👦";
    const text = missedKeyboard([{ groupId: -1, lessonId: "x", label: `${"a".repeat(55)}${family}${family}` }]).inline_keyboard[0]?.[0]?.text ?? "";
    expect(text).toBe(`${"a".repeat(55)}${family}${family}`);
  });
});
