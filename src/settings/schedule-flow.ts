import { TRACKS, type Track } from "../content/types.js";
import { weeklyCron } from "./cron-words.js";

/**
 * Changing a track's push time with buttons, as a pure state machine:
 * pick a track → toggle weekdays → next → pick the hour → pick the minute → done.
 * The composer keeps the state in Redis per message; presses that do not fit the step are refused.
 */
export type Flow =
  | { step: "track" }
  | { step: "days"; track: Track; days: number[] }
  | { step: "hour"; track: Track; days: number[] }
  | { step: "minute"; track: Track; days: number[]; hour: number };

export type FlowEvent =
  | { kind: "track"; track: string }
  | { kind: "day"; day: number }
  | { kind: "days-done" }
  | { kind: "hour"; hour: number }
  | { kind: "minute"; minute: number }
  | { kind: "cancel" };

export type FlowResult =
  | { kind: "next"; flow: Flow }
  | { kind: "done"; track: Track; cron: string }
  | { kind: "cancelled" }
  /** The press does not fit where the flow is (stale, doubled or forged). */
  | { kind: "invalid" }
  /** "Next" with no day chosen. */
  | { kind: "need-day"; flow: Flow };

export const MINUTES = [0, 15, 30, 45] as const;

function isTrack(value: string): value is Track {
  return (TRACKS as readonly string[]).includes(value);
}

/** One step of the flow; never throws, whatever the event carries. */
export function advance(flow: Flow, event: FlowEvent): FlowResult {
  if (event.kind === "cancel") return { kind: "cancelled" };
  switch (flow.step) {
    case "track":
      if (event.kind !== "track" || !isTrack(event.track)) return { kind: "invalid" };
      return { kind: "next", flow: { step: "days", track: event.track, days: [] } };
    case "days":
      if (event.kind === "day") {
        if (!Number.isInteger(event.day) || event.day < 1 || event.day > 7) return { kind: "invalid" };
        const days = flow.days.includes(event.day) ? flow.days.filter((d) => d !== event.day) : [...flow.days, event.day];
        return { kind: "next", flow: { ...flow, days: days.sort((a, b) => a - b) } };
      }
      if (event.kind === "days-done") {
        if (flow.days.length === 0) return { kind: "need-day", flow };
        return { kind: "next", flow: { step: "hour", track: flow.track, days: flow.days } };
      }
      return { kind: "invalid" };
    case "hour":
      if (event.kind !== "hour" || !Number.isInteger(event.hour) || event.hour < 0 || event.hour > 23) return { kind: "invalid" };
      return { kind: "next", flow: { step: "minute", track: flow.track, days: flow.days, hour: event.hour } };
    case "minute":
      if (event.kind !== "minute" || !(MINUTES as readonly number[]).includes(event.minute)) return { kind: "invalid" };
      return { kind: "done", track: flow.track, cron: weeklyCron({ days: flow.days, hour: flow.hour, minute: event.minute }) };
  }
}

/** Reads an event from callback parts (`action`, `arg`); null when they make no sense. */
export function parseFlowEvent(action: string, arg: string): FlowEvent | null {
  const n = /^\d{1,2}$/.test(arg) ? Number(arg) : NaN;
  switch (action) {
    case "t":
      return { kind: "track", track: arg };
    case "d":
      return Number.isNaN(n) ? null : { kind: "day", day: n };
    case "n":
      return { kind: "days-done" };
    case "h":
      return Number.isNaN(n) ? null : { kind: "hour", hour: n };
    case "m":
      return Number.isNaN(n) ? null : { kind: "minute", minute: n };
    case "x":
      return { kind: "cancel" };
    default:
      return null;
  }
}

/** Reads a stored flow back, refusing anything malformed. */
export function parseFlow(raw: string | null): Flow | null {
  if (!raw) return null;
  try {
    const f = JSON.parse(raw) as Partial<Flow> & { track?: string; days?: unknown; hour?: unknown };
    if (f.step === "track") return { step: "track" };
    if (typeof f.track !== "string" || !isTrack(f.track) || !Array.isArray(f.days)) return null;
    const days = f.days.filter((d): d is number => typeof d === "number" && d >= 1 && d <= 7);
    if (f.step === "days") return { step: "days", track: f.track, days };
    if (f.step === "hour") return { step: "hour", track: f.track, days };
    if (f.step === "minute" && typeof f.hour === "number") return { step: "minute", track: f.track, days, hour: f.hour };
    return null;
  } catch {
    return null;
  }
}

/** The group's lesson entries with `track` replaced by one entry at `cron` (kept in track order). */
export function withTrackCron<E extends { track: Track; cron: string }>(entries: E[], track: Track, cron: string): { track: Track; cron: string }[] {
  const others = entries.filter((e) => e.track !== track).map((e) => ({ track: e.track, cron: e.cron }));
  const next = [...others, { track, cron }];
  return next.sort((a, b) => TRACKS.indexOf(a.track) - TRACKS.indexOf(b.track));
}
