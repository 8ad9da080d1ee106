import { describe, expect, it } from "vitest";
import { describeCron, parseWeekly, weeklyCron } from "../../src/settings/cron-words.js";
import { translator } from "./locale.js";

const zh = translator("zh");
const en = translator("en");

describe("cron in plain words", () => {
  it("a single weekday reads as the weekday and the time", () => {
    expect(describeCron(zh, "0 20 * * 1")).toBe("每周一 20:00");
    expect(describeCron(en, "0 20 * * 1")).toBe("every Monday at 20:00");
  });

  it("several weekdays are listed in the locale's way, Sunday last", () => {
    expect(describeCron(zh, "30 19 * * 0,3")).toBe("每周三、周日 19:30");
    expect(describeCron(en, "30 19 * * 0,3")).toBe("every Wednesday and Sunday at 19:30");
    expect(describeCron(en, "5 7 * * 1,3,5")).toBe("every Monday, Wednesday and Friday at 07:05");
  });

  it("every day, working days, weekends and runs of days get their own words", () => {
    expect(describeCron(zh, "0 8 * * *")).toBe("每天 08:00");
    expect(describeCron(en, "0 8 * * 0-6")).toBe("every day at 08:00");
    expect(describeCron(zh, "0 8 * * 1-5")).toBe("每周一至周五 08:00");
    expect(describeCron(en, "0 8 * * mon-fri")).toBe("Monday to Friday at 08:00");
    expect(describeCron(zh, "0 9 * * 6,0")).toBe("每周六、周日 09:00");
    expect(describeCron(en, "0 9 * * 2-4")).toBe("Tuesday to Thursday at 09:00");
    expect(describeCron(zh, "0 9 * * 5-7")).toBe("每周五至周日 09:00");
  });

  it("six fields with zero seconds read like five", () => {
    expect(describeCron(zh, "0 0 20 * * 1")).toBe("每周一 20:00");
  });

  it("exotic shapes are shown as the expression, not guessed at", () => {
    for (const cron of ["*/15 * * * *", "0 20 1 * *", "0 */2 * * 1", "30 8,20 * * 1", "0 20 * 6 1", "15 0 20 * * 1", "0 20 * * 1/2"]) {
      expect(describeCron(zh, cron), cron).toBe(`按 cron 表达式“${cron}”`);
      expect(describeCron(en, cron), cron).toContain(cron);
    }
  });

  it("words and the stored form go both ways", () => {
    expect(weeklyCron({ days: [1], hour: 20, minute: 0 })).toBe("0 20 * * 1");
    expect(weeklyCron({ days: [7, 3, 3], hour: 6, minute: 45 })).toBe("45 6 * * 0,3");
    expect(weeklyCron({ days: [1, 2, 3, 4, 5, 6, 7], hour: 6, minute: 15 })).toBe("15 6 * * *");
    for (const shape of [{ days: [1, 3, 5], hour: 19, minute: 30 }, { days: [6, 7], hour: 0, minute: 0 }]) {
      expect(parseWeekly(weeklyCron(shape))).toEqual(shape);
    }
    expect(parseWeekly("0 24 * * 1")).toBeNull();
    expect(parseWeekly("60 20 * * 1")).toBeNull();
    expect(parseWeekly("0 20 * * 8")).toBeNull();
  });
});
