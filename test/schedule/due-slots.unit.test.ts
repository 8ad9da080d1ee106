import { describe, expect, it } from "vitest";
import { computeLatestSlot, dueSlot, latestSlot, nextSlot, nextSlotRemembered } from "../../src/schedule/due-slots.js";

const SH = "Asia/Shanghai";
const at = (iso: string) => new Date(iso).getTime();
const HOUR = 3600_000;

describe("due-slot maths", () => {
  it("finds Monday 20:00 Shanghai as 12:00 UTC", () => {
    expect(latestSlot("0 20 * * 1", SH, at("2026-11-30T12:00:03Z"))).toBe(at("2026-11-30T12:00:00Z"));
  });

  it("counts a slot due exactly now", () => {
    expect(latestSlot("0 20 * * 1", SH, at("2026-11-30T12:00:00Z"))).toBe(at("2026-11-30T12:00:00Z"));
  });

  it("does not return a slot in the future", () => {
    expect(latestSlot("0 20 * * 1", SH, at("2026-11-30T11:59:59Z"))).toBe(at("2026-11-23T12:00:00Z"));
  });

  it("supports six fields with seconds first", () => {
    expect(latestSlot("30 0 20 * * 1", SH, at("2026-11-30T12:00:31Z"))).toBe(at("2026-11-30T12:00:30Z"));
  });

  it("a missed slot inside the grace window is due after a restart", () => {
    const now = at("2026-11-30T13:30:00Z");
    expect(dueSlot({ cron: "0 20 * * 1", timeZone: SH, now, notBefore: 0, graceMs: 3 * HOUR })).toBe(at("2026-11-30T12:00:00Z"));
  });

  it("a slot older than the grace window is not due", () => {
    const now = at("2026-11-30T16:00:00Z");
    expect(dueSlot({ cron: "0 20 * * 1", timeZone: SH, now, notBefore: 0, graceMs: 3 * HOUR })).toBeNull();
  });

  it("a slot before the group joined is not due", () => {
    const now = at("2026-11-30T12:00:05Z");
    expect(dueSlot({ cron: "0 20 * * 1", timeZone: SH, now, notBefore: at("2026-11-30T12:00:01Z"), graceMs: HOUR })).toBeNull();
  });

  it("follows daylight saving in Europe/Berlin", () => {
    // 08:00 local is 07:00 UTC in winter and 06:00 UTC in summer
    expect(nextSlot("0 8 * * *", "Europe/Berlin", at("2026-03-28T12:00:00Z"))).toBe(at("2026-03-29T06:00:00Z"));
    expect(nextSlot("0 8 * * *", "Europe/Berlin", at("2026-03-27T12:00:00Z"))).toBe(at("2026-03-28T07:00:00Z"));
  });
});

describe("the remembered latest slot", () => {
  it("equals a fresh computation at every time, in any order, across a DST change", () => {
    const crons = ["0 20 * * 1", "30 2 * * *", "*/15 * * * *", "0 8 * * 1", "30 0 20 * * 1"];
    const start = at("2026-03-20T00:00:00Z");
    // A pseudo-random walk over three weeks, forwards and backwards, at odd offsets.
    let seed = 7;
    for (let i = 0; i < 120; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const t = start + (seed % (21 * 24 * 60)) * 60_000 + (seed % 1000);
      for (const zone of [SH, "Europe/Berlin"]) {
        for (const cron of crons) expect(latestSlot(cron, zone, t), `${cron} ${zone} ${new Date(t).toISOString()}`).toBe(computeLatestSlot(cron, zone, t));
      }
    }
  });

  it("is right on both sides of a firing", () => {
    const firing = at("2026-11-30T12:00:00Z");
    for (const t of [firing - 1, firing, firing + 1, firing - 1, firing + 7 * 24 * HOUR - 1, firing + 7 * 24 * HOUR]) {
      expect(latestSlot("0 20 * * 1", SH, t)).toBe(computeLatestSlot("0 20 * * 1", SH, t));
    }
  });
});

describe("the remembered next slot", () => {
  it("equals a fresh computation at times around firings, in any order", () => {
    const base = Date.parse("2026-11-30T11:59:00Z");
    const times = [0, 59_000, 60_000, 61_000, 7 * 86_400_000, 30_000, 3 * 86_400_000].map((d) => base + d);
    for (const now of times) {
      expect(nextSlotRemembered("0 20 * * 1", "Asia/Shanghai", now)).toBe(nextSlot("0 20 * * 1", "Asia/Shanghai", now));
    }
  });
});
