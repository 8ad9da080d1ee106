import { describe, expect, it } from "vitest";
import { checkReason, classify, computeStreak, isLate, parseOpenArgs } from "../../src/signins/attendance.js";

const MIN = 60_000;

describe("/open_signin arguments", () => {
  it("defaults to 30 minutes and no title", () => {
    expect(parseOpenArgs("")).toEqual({ ok: true, minutes: 30 });
  });
  it("reads minutes then a title with spaces", () => {
    expect(parseOpenArgs("45 周三 学习会")).toEqual({ ok: true, minutes: 45, title: "周三 学习会" });
    expect(parseOpenArgs("20分钟 党课")).toEqual({ ok: true, minutes: 20, title: "党课" });
  });
  it("a title alone keeps the default duration", () => {
    expect(parseOpenArgs("党课签到")).toEqual({ ok: true, minutes: 30, title: "党课签到" });
  });
  it("refuses minutes outside 1..1440 or not whole", () => {
    for (const bad of ["0", "1441", "-5", "2.5", "99999999999999999999"])
      expect(parseOpenArgs(bad), bad).toEqual({ ok: false, problem: "minutes" });
    expect(parseOpenArgs("1")).toEqual({ ok: true, minutes: 1 });
    expect(parseOpenArgs("1440")).toEqual({ ok: true, minutes: 1440 });
  });
  it("refuses an oversized title", () => {
    expect(parseOpenArgs(`10 ${"长".repeat(101)}`)).toEqual({ ok: false, problem: "title-too-long" });
  });
});

describe("/leave reasons", () => {
  it("are required and at most 200 characters", () => {
    expect(checkReason("  ")).toEqual({ ok: false, problem: "missing" });
    expect(checkReason("病".repeat(201))).toEqual({ ok: false, problem: "too-long" });
    expect(checkReason(" 在外务工 ")).toEqual({ ok: true, reason: "在外务工" });
  });
});

describe("attendance classification", () => {
  const openedAt = 1_000_000_000_000;
  const base = { openedAt, lateAfterMs: 10 * MIN };

  it("late means more than the late threshold after opening", () => {
    expect(isLate(openedAt + 10 * MIN, openedAt, 10 * MIN)).toBe(false);
    expect(isLate(openedAt + 10 * MIN + 1, openedAt, 10 * MIN)).toBe(true);
  });

  it("sorts members into present, late, excused and absent", () => {
    const c = classify({
      ...base,
      signedIn: new Map([
        [1, openedAt + MIN],
        [2, openedAt + 20 * MIN],
      ]),
      excused: new Map([[3, "病假"]]),
      roster: new Map([
        [1, openedAt - MIN],
        [2, openedAt - MIN],
        [3, openedAt - MIN],
        [4, openedAt - MIN],
      ]),
    });
    expect(c).toEqual({ present: [1], late: [2], excused: [3], absent: [4], eligible: [1, 2, 3, 4] });
  });

  it("members who joined after the session opened are not absent", () => {
    const c = classify({
      ...base,
      signedIn: new Map(),
      excused: new Map(),
      roster: new Map([[5, openedAt + 1]]),
    });
    expect(c.absent).toEqual([]);
    expect(c.eligible).toEqual([]);
  });

  it("a newcomer who signed in counts as present; signing in wins over an excuse", () => {
    const c = classify({
      ...base,
      signedIn: new Map([[6, openedAt + MIN]]),
      excused: new Map([[6, "原以为来不了"]]),
      roster: new Map([[6, openedAt + 30]]),
    });
    expect(c.present).toEqual([6]);
    expect(c.excused).toEqual([]);
    expect(c.eligible).toEqual([6]);
  });
});

describe("streaks", () => {
  it("count consecutive sessions signed in to, newest back", () => {
    expect(computeStreak(["in", "in", "missed", "in"])).toBe(2);
    expect(computeStreak([])).toBe(0);
    expect(computeStreak(["missed", "in", "in"])).toBe(0);
  });
  it("an excused session neither breaks nor extends the streak", () => {
    expect(computeStreak(["in", "excused", "in", "missed"])).toBe(2);
    expect(computeStreak(["excused", "excused"])).toBe(0);
  });
  it("a session still open does not break it", () => {
    expect(computeStreak(["open", "in", "in"])).toBe(2);
  });
});
