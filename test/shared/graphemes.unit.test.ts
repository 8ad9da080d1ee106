import { describe, expect, it } from "vitest";
import {
  cutGraphemes, cutToUnits, cutToWidth, displayWidth, graphemeCount, graphemes, padEndWidth, padStartWidth, tableRow, wrapToWidth,
} from "../../src/shared/graphemes.js";

const FAMILY = "👨‍👩‍👧‍👦";
const FLAG = "🇨🇳";
const COMBINED = "e\u0301"; // é as e + combining acute
/** True when the string holds no half of a surrogate pair (what Telegram accepts). */
const wellFormed = (s: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

describe("graphemes", () => {
  it("counts a ZWJ family, a flag and a combining mark as one each", () => {
    expect(graphemes(`${FAMILY}${FLAG}${COMBINED}a`)).toEqual([FAMILY, FLAG, COMBINED, "a"]);
    expect(graphemeCount(FAMILY)).toBe(1);
  });
});

describe("cutGraphemes", () => {
  it("never cuts inside an emoji at the cut point", () => {
    const cut = cutGraphemes("AAAAAAAAAAAA😀B", 14);
    expect(cut).toBe("AAAAAAAAAAAA😀B");
    const shorter = cutGraphemes("AAAAAAAAAAAA😀BC", 14);
    expect(shorter).toBe("AAAAAAAAAAAA😀…");
    expect(wellFormed(cutGraphemes("AAAAAAAAAAAAA😀😀", 14))).toBe(true);
  });

  it("keeps a family emoji whole or drops it whole", () => {
    expect(cutGraphemes(`${FAMILY}${FAMILY}${FAMILY}`, 2)).toBe(`${FAMILY}…`);
    expect(cutGraphemes(FAMILY, 1)).toBe(FAMILY);
  });

  it("keeps flags and combining marks whole", () => {
    expect(cutGraphemes(`${FLAG}${FLAG}${FLAG}`, 2)).toBe(`${FLAG}…`);
    expect(cutGraphemes(`${COMBINED}${COMBINED}${COMBINED}`, 2)).toBe(`${COMBINED}…`);
  });
});

describe("cutToUnits", () => {
  it("fits a UTF-16 budget without splitting a surrogate pair or a ZWJ sequence", () => {
    const text = `A${"😀".repeat(150)}`;
    const cut = cutToUnits(text, 200);
    expect(cut.length).toBeLessThanOrEqual(200);
    expect(wellFormed(cut)).toBe(true);
    expect(cut.endsWith("😀…")).toBe(true);
    const fam = cutToUnits(FAMILY.repeat(20), 30);
    expect(fam).toBe(`${FAMILY.repeat(2)}…`);
    expect(cutToUnits("short", 200)).toBe("short");
  });
});

describe("display width", () => {
  it("counts CJK and emoji as two columns, combining marks as none", () => {
    expect(displayWidth("城关镇")).toBe(6);
    expect(displayWidth("abc")).toBe(3);
    expect(displayWidth("😀")).toBe(2);
    expect(displayWidth(FAMILY)).toBe(2);
    expect(displayWidth(FLAG)).toBe(2);
    expect(displayWidth(COMBINED)).toBe(1);
    expect(displayWidth("❤️")).toBe(2);
    expect(displayWidth("ＡＢ")).toBe(4);
  });

  it("pads by display width", () => {
    expect(padEndWidth("李明", 6)).toBe("李明  ");
    expect(padStartWidth("😀", 4)).toBe("  😀");
    expect(displayWidth(padEndWidth("城关镇", 10))).toBe(10);
  });

  it("cuts to a width between graphemes", () => {
    expect(cutToWidth("城关镇东街社区", 7)).toBe("城关镇…");
    expect(displayWidth(cutToWidth("城关镇东街社区", 7))).toBeLessThanOrEqual(7);
    expect(cutToWidth(`ab${FAMILY}${FAMILY}`, 4)).toBe(`ab…`);
    expect(cutToWidth(`ab${FAMILY}${FAMILY}`, 5)).toBe(`ab${FAMILY}…`);
  });
});

describe("wrapToWidth", () => {
  it("wraps a long CJK name onto lines of the width, losing nothing", () => {
    const lines = wrapToWidth("城关镇东街社区党支部", 12);
    expect(lines).toEqual(["城关镇东街社", "区党支部"]);
    expect(lines.join("")).toBe("城关镇东街社区党支部");
  });

  it("never splits an emoji across lines and drops the space at a break", () => {
    expect(wrapToWidth("ab😀cd", 3)).toEqual(["ab", "😀c", "d"]);
    expect(wrapToWidth("abc def", 3)).toEqual(["abc", "def"]);
    expect(wrapToWidth("", 5)).toEqual([""]);
  });
});

describe("tableRow", () => {
  it("keeps a name that fits on the row", () => {
    expect(tableRow(" 85  +3", "城关镇东街村", 16)).toBe(" 85  +3  城关镇东街村");
  });

  it("wraps a long name under its column, so two similar long names stay distinct", () => {
    const a = tableRow(" 85  +3", "城关镇东街社区居民委员会党支部", 16);
    const b = tableRow(" 80  +1", "城关镇东街社区居民委员会党总支", 16);
    expect(a).toBe(" 85  +3  城关镇东街社区居\n         民委员会党支部");
    expect(a.split("\n").every((l) => displayWidth(l) <= 9 + 16)).toBe(true);
    expect(a.replace(/\s/g, "").endsWith("党支部")).toBe(true);
    expect(b.replace(/\s/g, "").endsWith("党总支")).toBe(true);
  });

  it("escapes the cell after measuring and cuts only past maxLines, between graphemes", () => {
    expect(tableRow("1.", "<b>", 10, { escape: (s) => s.replace(/</g, "&lt;").replace(/>/g, "&gt;") })).toBe("1.  &lt;b&gt;");
    const long = tableRow("1.", "😀".repeat(20), 4, { maxLines: 2 });
    expect(long).toBe("1.  😀😀\n    😀…");
    expect(wellFormed(long)).toBe(true);
  });
});
