import { describe, expect, it } from "vitest";
import type { Lesson } from "../../src/content/types.js";
import { orderRemaining, rankedTopics, topicVotes, type DemandPrefs } from "../../src/demand/demand-order.js";

const lesson = (n: number, topics: string[]): Lesson => ({
  id: `t${n}`,
  track: "technology",
  media: [],
  title: `lesson ${n}`,
  order: n,
  audience: "all",
  quiz: [],
  topics,
  body: "b",
  file: `lessons/technology/0${n}.md`,
});

const TRACK = [lesson(1, ["planting"]), lesson(2, ["greenhouse", "planting"]), lesson(3, ["livestock"]), lesson(4, ["e-commerce"]), lesson(5, [])];
const ids = (ls: Lesson[]) => ls.map((l) => l.id);
const prefs = (p: Partial<DemandPrefs>): DemandPrefs => ({ votes: {}, pins: [], skips: [], reorder: true, ...p });

describe("ordering a group's remaining elective lessons by demand", () => {
  it("without votes, pins or skips, the curriculum order stays", () => {
    expect(ids(orderRemaining(TRACK, prefs({})))).toEqual(["t1", "t2", "t3", "t4", "t5"]);
  });

  it("lessons on the most-wanted topics come first; the rest keep their order", () => {
    const order = orderRemaining(TRACK, prefs({ votes: { "e-commerce": 5, livestock: 3 } }));
    expect(ids(order)).toEqual(["t4", "t3", "t1", "t2", "t5"]);
  });

  it("a lesson counts by its most-wanted topic; ties keep curriculum order", () => {
    const order = orderRemaining(TRACK, prefs({ votes: { greenhouse: 4, planting: 4, livestock: 4 } }));
    expect(ids(order)).toEqual(["t1", "t2", "t3", "t4", "t5"]);
    expect(ids(orderRemaining(TRACK, prefs({ votes: { greenhouse: 6, planting: 2 } })))).toEqual(["t2", "t1", "t3", "t4", "t5"]);
  });

  it("a pinned lesson comes next, the latest pin first, before any vote", () => {
    const order = orderRemaining(TRACK, prefs({ votes: { "e-commerce": 9 }, pins: ["t5", "t3"] }));
    expect(ids(order)).toEqual(["t5", "t3", "t4", "t1", "t2"]);
  });

  it("a skipped lesson is left out; pinned again, it comes back", () => {
    expect(ids(orderRemaining(TRACK, prefs({ skips: ["t1", "t4"] })))).toEqual(["t2", "t3", "t5"]);
    expect(ids(orderRemaining(TRACK, prefs({ skips: ["t1"], pins: ["t1"] })))).toEqual(["t1", "t2", "t3", "t4", "t5"]);
  });

  it("with reordering off, votes change nothing but pins and skips still apply", () => {
    const order = orderRemaining(TRACK, prefs({ votes: { "e-commerce": 9 }, pins: ["t3"], skips: ["t2"], reorder: false }));
    expect(ids(order)).toEqual(["t3", "t1", "t4", "t5"]);
  });

  it("nothing already pushed is offered again: only the remaining lessons are ordered, pins of pushed lessons are ignored", () => {
    const remaining = TRACK.filter((l) => l.id !== "t4" && l.id !== "t1"); // t1 and t4 were pushed
    const order = orderRemaining(remaining, prefs({ votes: { "e-commerce": 9, planting: 1 }, pins: ["t1"] }));
    expect(ids(order)).toEqual(["t2", "t3", "t5"]);
    expect(order).toHaveLength(new Set(ids(order)).size);
  });

  it("a lesson removed from content disappears from the order; a pin or skip of it is harmless", () => {
    const remaining = TRACK.filter((l) => l.id !== "t3");
    expect(ids(orderRemaining(remaining, prefs({ votes: { livestock: 9, "e-commerce": 1 }, pins: ["t3"], skips: ["t3"] })))).toEqual(["t4", "t1", "t2", "t5"]);
  });

  it("a new lesson added to content takes its place by demand, or at the end of its equals", () => {
    const added = lesson(6, ["livestock"]);
    expect(ids(orderRemaining([...TRACK, added], prefs({ votes: { livestock: 3, planting: 1 } })))).toEqual(["t3", "t6", "t1", "t2", "t4", "t5"]);
    expect(ids(orderRemaining([...TRACK, added], prefs({})))).toEqual(["t1", "t2", "t3", "t4", "t5", "t6"]);
  });
});

describe("votes per topic from a closed needs survey", () => {
  it("each option's votes count for every topic it stands for; questions without topics are ignored", () => {
    const votes = topicVotes([
      { options: [{ votes: 2 }, { votes: 5 }, { votes: 3 }], topics: [[], ["planting"], ["pigs", "poultry"]] },
      { options: [{ votes: 7 }, { votes: 1 }] },
      { options: [{ votes: 1 }, { votes: 4 }], topics: [["poultry"], ["poultry", "poultry"]] },
    ]);
    expect(votes).toEqual({ planting: 5, pigs: 3, poultry: 8 });
    expect(rankedTopics({ ...votes, health: 0, apples: 5 })).toEqual([["poultry", 8], ["apples", 5], ["planting", 5], ["pigs", 3]]);
  });

  it("a survey without topics gives no votes", () => {
    expect(topicVotes([{ options: [{ votes: 3 }, { votes: 1 }] }])).toEqual({});
  });
});
