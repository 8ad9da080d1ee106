import { describe, expect, it } from "vitest";
import { calendarAt, dayIdAt, formatWeekId, isoWeekOfDate, localParts, parseWeekId, shiftWeek, weekBounds, weekIdAt } from "../../src/shared/week.js";

const at = (iso: string) => new Date(iso).getTime();

describe("weeks in a group's time zone", () => {
  it("Sunday 23:30 in Shanghai is already Monday of the next week there", () => {
    // 2026-11-29 is a Sunday; 16:30 UTC is Monday 00:30 in Shanghai
    expect(weekIdAt(at("2026-11-29T16:30:00Z"), "UTC")).toBe("2026-W48");
    expect(weekIdAt(at("2026-11-29T16:30:00Z"), "Asia/Shanghai")).toBe("2026-W49");
    expect(dayIdAt(at("2026-11-29T16:30:00Z"), "Asia/Shanghai")).toBe("2026-11-30");
  });

  it("ISO week years: 2026-12-31 is in 2026-W53, 2027-01-01 too", () => {
    expect(weekIdAt(at("2026-12-31T04:00:00Z"), "Asia/Shanghai")).toBe("2026-W53");
    expect(weekIdAt(at("2027-01-01T04:00:00Z"), "Asia/Shanghai")).toBe("2026-W53");
    expect(weekIdAt(at("2027-01-04T04:00:00Z"), "Asia/Shanghai")).toBe("2027-W01");
  });

  it("week bounds are local midnights, 7 days apart in Shanghai", () => {
    const { start, end } = weekBounds("2026-W49", "Asia/Shanghai");
    expect(new Date(start).toISOString()).toBe("2026-11-29T16:00:00.000Z");
    expect(end - start).toBe(7 * 86_400_000);
  });

  it("a week with the spring DST change in New York is one hour short", () => {
    const { start, end } = weekBounds("2026-W11", "America/New_York");
    expect(new Date(start).toISOString()).toBe("2026-03-09T04:00:00.000Z");
    expect(end - start).toBe(7 * 86_400_000);
    const spring = weekBounds("2026-W10", "America/New_York");
    expect(spring.end - spring.start).toBe(7 * 86_400_000 - 3600_000);
  });

  it("parses and shifts week ids, rejecting impossible ones", () => {
    expect(parseWeekId("2026-W53")).toEqual({ year: 2026, week: 53 });
    expect(parseWeekId("2025-W53")).toBeNull();
    expect(parseWeekId("2026-48")).toBeNull();
    expect(shiftWeek("2027-W01", -1)).toBe("2026-W53");
    expect(shiftWeek("2026-W52", 2)).toBe("2027-W01");
  });
});

describe("calendarAt (kept per zone for a quarter hour)", () => {
  // What it must agree with: the zone's local date at that very instant, worked out afresh.
  const fresh = (at: number, timeZone: string) => {
    const p = localParts(at, timeZone);
    const w = isoWeekOfDate(p.year, p.month, p.day);
    return { weekId: formatWeekId(w.year, w.week), dayId: `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}` };
  };

  it("gives each instant its own local day and week across midnights and clock changes, in odd zones too", () => {
    const zones = ["Asia/Shanghai", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "America/Santiago", "Pacific/Chatham"];
    // Around clock changes (March/April, September/October/November 2026) and a New Year.
    const starts = [Date.UTC(2026, 2, 7), Date.UTC(2026, 3, 3), Date.UTC(2026, 8, 5), Date.UTC(2026, 9, 31), Date.UTC(2026, 11, 31)];
    let checked = 0;
    for (const zone of zones)
      for (const start of starts)
        for (let at = start; at < start + 3 * 86_400_000; at += 7 * 60_000 + 1_234) {
          const got = calendarAt(at, zone);
          expect({ weekId: got.weekId, dayId: got.dayId }).toEqual(fresh(at, zone));
          checked++;
        }
    expect(checked).toBeGreaterThan(10_000);
  });
});
