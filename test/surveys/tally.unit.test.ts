import { describe, expect, it } from "vitest";
import { tallyQuestion } from "../../src/surveys/tally.js";

describe("survey tallies", () => {
  it("counts each member's current choice once, several options for a multiple-answer poll", () => {
    const votes = new Map<number, number[]>([
      [1, [0, 2]],
      [2, [2]],
      [3, [1]],
    ]);
    const t = tallyQuestion("Q", ["a", "b", "c"], votes.values());
    expect(t.voters).toBe(3);
    expect(t.options).toEqual([
      { text: "a", votes: 1 },
      { text: "b", votes: 1 },
      { text: "c", votes: 2 },
    ]);
  });

  it("a changed vote replaces the old one; a retracted vote counts nowhere", () => {
    const votes = new Map<number, number[]>([[1, [0]]]);
    votes.set(1, [1]); // changed
    votes.set(2, [1]);
    votes.set(2, []); // retracted
    const t = tallyQuestion("Q", ["a", "b"], votes.values());
    expect(t.voters).toBe(1);
    expect(t.options.map((o) => o.votes)).toEqual([0, 1]);
  });

  it("duplicates and out-of-range option ids are ignored", () => {
    const t = tallyQuestion("Q", ["a", "b"], [[1, 1], [5], [-1, 0]]);
    expect(t.voters).toBe(2);
    expect(t.options.map((o) => o.votes)).toEqual([1, 1]);
  });
});
