import { describe, expect, it } from "vitest";
import { State } from "ts-fsrs";
import { decodeCard, encodeCard, type MemoryCard } from "../../src/review/memory-card.js";
import { gradeCard } from "../../src/review/memory-grade.js";
import { endOfLocalDay, nextDailyAt, parseClockTime, previousDayId } from "../../src/review/review-time.js";

const DAY = 86_400_000;
// Tuesday 2026-12-01 21:00 in Shanghai (13:00 UTC): a lesson's quiz in the evening.
const T0 = Date.parse("2026-12-01T13:00:00Z");
const ZONE = "Asia/Shanghai";

/** The questions due by the end of the member's day at `now`, most overdue first: what /review sends. */
const dueSet = (cards: Map<string, MemoryCard>, now: number) =>
  [...cards]
    .filter(([, c]) => c.due < endOfLocalDay(now, ZONE))
    .sort((a, b) => a[1].due - b[1].due)
    .map(([ref]) => ref);

describe("memory cards graded by FSRS", () => {
  it("a wrong answer makes the card due sooner than a right one", () => {
    const wrong = gradeCard(undefined, false, T0, "p1").card;
    const right = gradeCard(undefined, true, T0, "p2").card;
    expect(wrong.due).toBeLessThan(right.due);
    // Whole days, no 10-minute learning steps: Again on a new card is tomorrow, Good three days on.
    expect(wrong.due).toBe(T0 + DAY);
    expect(right.due).toBe(T0 + 3 * DAY);
    expect(right.state).toBe(State.Review);
  });

  it("a question answered today is never due again today, whatever the answer", () => {
    for (const at of [T0, Date.parse("2026-12-01T16:30:00Z") /* 00:30 local */]) {
      for (const correct of [true, false]) expect(gradeCard(undefined, correct, at, "p").card.due).toBeGreaterThanOrEqual(endOfLocalDay(at, ZONE));
    }
  });

  it("with a fixed clock the due set changes day by day as FSRS says", () => {
    const cards = new Map<string, MemoryCard>([
      ["L|technology-01|0", gradeCard(undefined, false, T0, "a").card],
      ["L|technology-01|1", gradeCard(undefined, true, T0, "b").card],
    ]);
    expect(dueSet(cards, T0)).toEqual([]);
    expect(dueSet(cards, T0 + DAY)).toEqual(["L|technology-01|0"]);
    // Reviewed right the next day: it goes to review state and is due again only days later.
    const again = gradeCard(cards.get("L|technology-01|0"), true, T0 + DAY, "c").card;
    cards.set("L|technology-01|0", again);
    expect(dueSet(cards, T0 + DAY)).toEqual([]);
    expect(dueSet(cards, T0 + 2 * DAY)).toEqual([]);
    expect(dueSet(cards, T0 + 3 * DAY)).toEqual(["L|technology-01|1"]);
    expect(again.due).toBeGreaterThan(T0 + 2 * DAY);
    expect(dueSet(cards, again.due)).toEqual(["L|technology-01|1", "L|technology-01|0"]);
  });

  it("a wrong answer after a right one is a lapse; wrong on a new card is not", () => {
    const first = gradeCard(undefined, false, T0, "a");
    expect(first.lapsed).toBe(false);
    const learnt = gradeCard(undefined, true, T0, "b").card;
    const forgot = gradeCard(learnt, false, learnt.due, "c");
    expect(forgot.lapsed).toBe(true);
    expect(forgot.card.lapses).toBe(1);
    expect(forgot.card.due).toBe(learnt.due + DAY);
  });

  it("a stored card reads back as the same card and grades the same", () => {
    const card = gradeCard(gradeCard(undefined, true, T0, "x").card, false, T0 + 3 * DAY, "poll-9").card;
    const back = decodeCard(encodeCard(card));
    expect(back).toMatchObject({ due: card.due, reps: card.reps, lapses: card.lapses, state: card.state, lastPoll: "poll-9" });
    expect(gradeCard(back, true, T0 + 5 * DAY, "y").card.due).toBe(gradeCard(card, true, T0 + 5 * DAY, "y").card.due);
    expect(encodeCard(card).length).toBeLessThan(80);
    expect(decodeCard("")).toBeUndefined();
    expect(decodeCard("garbage")).toBeUndefined();
  });
});

describe("the member's day", () => {
  it("reads HH:MM, with a Chinese colon too, and refuses anything else", () => {
    expect(parseClockTime("20:30")).toEqual({ hour: 20, minute: 30 });
    expect(parseClockTime("8：05")).toEqual({ hour: 8, minute: 5 });
    for (const bad of ["24:00", "20:60", "2030", "20:3", "evening"]) expect(parseClockTime(bad)).toBeUndefined();
  });

  it("the reminder's next time is today's if still ahead, else tomorrow's, in the member's zone", () => {
    const time = { hour: 20, minute: 30 };
    expect(nextDailyAt(time, ZONE, Date.parse("2026-12-01T10:00:00Z"))).toBe(Date.parse("2026-12-01T12:30:00Z"));
    expect(nextDailyAt(time, ZONE, Date.parse("2026-12-01T12:30:00Z"))).toBe(Date.parse("2026-12-02T12:30:00Z"));
    expect(nextDailyAt(time, "Europe/Berlin", Date.parse("2026-12-31T20:00:00Z"))).toBe(Date.parse("2027-01-01T19:30:00Z"));
    expect(endOfLocalDay(Date.parse("2026-12-31T20:00:00Z"), ZONE)).toBe(Date.parse("2027-01-01T16:00:00Z"));
    expect(previousDayId(Date.parse("2027-01-01T01:00:00Z"), ZONE)).toBe("2026-12-31");
  });
});
