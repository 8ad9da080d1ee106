import { describe, expect, it } from "vitest";
import { overlap, rankFaq, terms } from "../../src/questions/faq-match.js";

describe("FAQ matching", () => {
  it("Chinese is matched on character bigrams, Latin on words", () => {
    expect([...terms("滴灌冲洗")]).toEqual(["滴灌", "灌冲", "冲洗"]);
    expect(terms("Drip irrigation, drip!")).toEqual(new Set(["drip", "irrigation"]));
    expect(terms("的")).toEqual(new Set());
  });

  it("scores the share of the query found", () => {
    expect(overlap(terms("滴灌冲洗"), terms("滴灌管多久冲洗一次"))).toBeCloseTo(2 / 3);
    expect(overlap(terms(""), terms("任何"))).toBe(0);
  });

  it("ranks the best three, ignores weak matches, and prefers newer on a tie", () => {
    const docs = [
      { item: 1, text: "滴灌管多久冲洗一次？两周冲洗一次", at: 1 },
      { item: 2, text: "大棚滴灌冲洗方法", at: 2 },
      { item: 3, text: "党费怎么交", at: 3 },
      { item: 4, text: "滴灌冲洗注意事项", at: 4 },
      { item: 5, text: "滴灌冲洗要点", at: 5 },
    ];
    const found = rankFaq("滴灌冲洗", docs);
    expect(found.map((f) => f.item)).toEqual([5, 4, 2]);
    expect(rankFaq("党费", docs).map((f) => f.item)).toEqual([3]);
    expect(rankFaq("火箭发射", docs)).toEqual([]);
  });
});
