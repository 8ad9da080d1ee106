/**
 * Pure attendance rules of a sign-in session: parsing `/open_signin`, present / late / excused /
 * absent, counts over the roster, and streaks. No Redis, no Telegram.
 */

export const DEFAULT_MINUTES = 30;
export const MAX_MINUTES = 1440;
export const MAX_TITLE = 100;
export const MAX_REASON = 200;
/** A `/leave` sent while no session is open applies to the next one opened within this window. */
export const EXCUSE_WINDOW_MS = 24 * 3600_000;

export type OpenArgs =
  { ok: true; minutes: number; title?: string } | { ok: false; problem: "minutes" | "title-too-long" };

/** `/open_signin [minutes] [title]`: minutes 1..1440 (default 30), the rest is the title. */
export function parseOpenArgs(input: string): OpenArgs {
  const text = input.trim();
  if (!text) return { ok: true, minutes: DEFAULT_MINUTES };
  const [first = "", ...rest] = text.split(/\s+/);
  // "30", "30min", "30分钟" are minutes; "-5", "2.5", "0" are minutes too, just wrong ones.
  const numeric = /^[-+]?\d+(?:[.,]\d+)?(?:分钟|分|min|m)?$/i.test(first);
  if (!numeric) return titleOnly(text, DEFAULT_MINUTES);
  const minutes = Number(first.replace(/(?:分钟|分|min|m)$/i, "").replace(",", "."));
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_MINUTES)
    return { ok: false, problem: "minutes" };
  return titleOnly(rest.join(" "), minutes);
}

function titleOnly(title: string, minutes: number): OpenArgs {
  const clean = title.trim();
  if ([...clean].length > MAX_TITLE) return { ok: false, problem: "title-too-long" };
  return clean ? { ok: true, minutes, title: clean } : { ok: true, minutes };
}

/** A `/leave` reason: required, at most 200 characters. */
export function checkReason(
  input: string,
): { ok: true; reason: string } | { ok: false; problem: "missing" | "too-long" } {
  const reason = input.trim();
  if (!reason) return { ok: false, problem: "missing" };
  if ([...reason].length > MAX_REASON) return { ok: false, problem: "too-long" };
  return { ok: true, reason };
}

/** Late means signed in more than `lateAfterMs` after the session opened. */
export function isLate(signedAt: number, openedAt: number, lateAfterMs: number): boolean {
  return signedAt - openedAt > lateAfterMs;
}

export type Attendance = "present" | "late" | "excused" | "absent";

export interface SessionFacts {
  openedAt: number;
  lateAfterMs: number;
  /** userId → when they signed in. */
  signedIn: Map<number, number>;
  /** userId → reason. */
  excused: Map<number, string>;
  /** The roster: userId → when the bot first knew them in the group. */
  roster: Map<number, number>;
}

export interface Classified {
  present: number[];
  late: number[];
  excused: number[];
  absent: number[];
  /** Everyone the session counts: roster members who joined before it opened, and anyone who signed in or was excused. */
  eligible: number[];
}

/**
 * Each member's state in a session. Signing in wins over an excuse (they came after all); members
 * who joined after the session opened are not absent from it.
 */
export function classify(f: SessionFacts): Classified {
  const out: Classified = { present: [], late: [], excused: [], absent: [], eligible: [] };
  const ids = new Set<number>([...f.signedIn.keys(), ...f.excused.keys()]);
  for (const [uid, joinedAt] of f.roster) if (joinedAt <= f.openedAt) ids.add(uid);
  for (const uid of [...ids].sort((a, b) => a - b)) {
    out.eligible.push(uid);
    const at = f.signedIn.get(uid);
    if (at !== undefined) (isLate(at, f.openedAt, f.lateAfterMs) ? out.late : out.present).push(uid);
    else if (f.excused.has(uid)) out.excused.push(uid);
    else out.absent.push(uid);
  }
  return out;
}

/** A member's mark in one session, for streaks; `open` is a session still running without their mark. */
export type StreakMark = "in" | "excused" | "open" | "missed";

/**
 * Consecutive sessions signed in to (present or late), newest first. An excuse neither breaks nor
 * extends it; a session still open does not break it yet; a miss (absent, or not yet a member) ends it.
 */
export function computeStreak(newestFirst: StreakMark[]): number {
  let streak = 0;
  for (const mark of newestFirst) {
    if (mark === "in") streak++;
    else if (mark === "missed") break;
  }
  return streak;
}
