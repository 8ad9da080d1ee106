import { describe, expect, it } from "vitest";
import { advance, parseFlow, parseFlowEvent, withTrackCron, type Flow, type FlowEvent } from "../../src/settings/schedule-flow.js";

function run(events: FlowEvent[]): ReturnType<typeof advance> {
  let flow: Flow = { step: "track" };
  let last: ReturnType<typeof advance> = { kind: "next", flow };
  for (const e of events) {
    last = advance(flow, e);
    if (last.kind === "next") flow = last.flow;
  }
  return last;
}

describe("changing a track's time with buttons", () => {
  it("track → days → hour → minute gives the cron M H * * D", () => {
    const result = run([
      { kind: "track", track: "policy" },
      { kind: "day", day: 3 },
      { kind: "day", day: 7 },
      { kind: "days-done" },
      { kind: "hour", hour: 19 },
      { kind: "minute", minute: 30 },
    ]);
    expect(result).toEqual({ kind: "done", track: "policy", cron: "30 19 * * 0,3" });
  });

  it("pressing a day twice unselects it; next with no day asks for one", () => {
    const flow: Flow = { step: "days", track: "technology", days: [] };
    const on = advance(flow, { kind: "day", day: 2 });
    expect(on).toEqual({ kind: "next", flow: { step: "days", track: "technology", days: [2] } });
    const off = advance((on as { flow: Flow }).flow, { kind: "day", day: 2 });
    expect(off).toEqual({ kind: "next", flow: { step: "days", track: "technology", days: [] } });
    expect(advance((off as { flow: Flow }).flow, { kind: "days-done" }).kind).toBe("need-day");
  });

  it("presses that do not fit the step are invalid (stale or doubled)", () => {
    expect(advance({ step: "track" }, { kind: "hour", hour: 5 }).kind).toBe("invalid");
    expect(advance({ step: "track" }, { kind: "track", track: "astrology" }).kind).toBe("invalid");
    expect(advance({ step: "hour", track: "policy", days: [1] }, { kind: "minute", minute: 0 }).kind).toBe("invalid");
    expect(advance({ step: "hour", track: "policy", days: [1] }, { kind: "hour", hour: 24 }).kind).toBe("invalid");
    expect(advance({ step: "minute", track: "policy", days: [1], hour: 8 }, { kind: "minute", minute: 7 }).kind).toBe("invalid");
    expect(advance({ step: "days", track: "policy", days: [] }, { kind: "day", day: 0 }).kind).toBe("invalid");
  });

  it("cancel ends the flow from any step", () => {
    expect(advance({ step: "minute", track: "policy", days: [1], hour: 8 }, { kind: "cancel" }).kind).toBe("cancelled");
    expect(advance({ step: "track" }, { kind: "cancel" }).kind).toBe("cancelled");
  });

  it("forged callback parts and stored junk are refused", () => {
    expect(parseFlowEvent("h", "abc")).toBeNull();
    expect(parseFlowEvent("h", "123")).toBeNull();
    expect(parseFlowEvent("q", "1")).toBeNull();
    expect(parseFlowEvent("m", "45")).toEqual({ kind: "minute", minute: 45 });
    expect(parseFlow(null)).toBeNull();
    expect(parseFlow("{not json")).toBeNull();
    expect(parseFlow(JSON.stringify({ step: "days", track: "astrology", days: [] }))).toBeNull();
    expect(parseFlow(JSON.stringify({ step: "hour", track: "policy", days: [1, 9] }))).toEqual({ step: "hour", track: "policy", days: [1] });
  });

  it("saving replaces every entry of the track with one, keeping the others", () => {
    const entries = [
      { track: "constitution" as const, cron: "0 20 * * 1" },
      { track: "policy" as const, cron: "0 20 * * 3" },
      { track: "policy" as const, cron: "0 9 * * 6" },
      { track: "technology" as const, cron: "0 20 * * 5" },
    ];
    expect(withTrackCron(entries, "policy", "30 19 * * 2")).toEqual([
      { track: "constitution", cron: "0 20 * * 1" },
      { track: "policy", cron: "30 19 * * 2" },
      { track: "technology", cron: "0 20 * * 5" },
    ]);
    expect(withTrackCron([{ track: "technology" as const, cron: "0 20 * * 5" }], "constitution", "0 8 * * 1")[0]?.track).toBe("constitution");
  });
});
