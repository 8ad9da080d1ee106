import { describe, expect, it } from "vitest";
import { dueSlot, latestSlot, nextSlot } from "../../src/schedule/due-slots.js";

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
