import { classify, computeStreak, type StreakMark } from "./attendance.js";
import type { SigninsDeps } from "./signins.deps.js";
import { weekBounds } from "../shared/week.js";

/** One session of a week, as reports read it. */
export interface SessionSummary {
  id: number;
  title: string;
  openedAt: number;
  closedAt?: number;
  /** Members who signed in, late ones included. */
  signed: number;
  /** Of `signed`, those who signed in late. */
  late: number;
  excused: number;
  absent: number;
  /** Members expected at the session (on the roster when it opened). */
  eligible: number;
}

/** What other features read about sign-ins: streaks and a week's sessions. */
export function createQueries(deps: Pick<SigninsDeps, "repo" | "groups">) {
  const { repo } = deps;
  return {
    /** Consecutive sessions of the group the member signed in to (present or late); excuses neither break nor extend it. */
    async streak(groupId: number, userId: number): Promise<number> {
      const ids = await repo.latestIds(groupId, 500);
      const marks = await repo.marksOf(groupId, ids, userId);
      return computeStreak(
        marks.map((m): StreakMark =>
          m.signedIn ? "in" : m.excused ? "excused" : m.closed ? "missed" : "open",
        ),
      );
    },

    /** Every session opened in ISO week `weekId` (the group's time zone), oldest first, with its counts. */
    async sessionsOf(groupId: number, weekId: string): Promise<SessionSummary[]> {
      const group = await deps.groups.get(groupId);
      if (!group) return [];
      const { start, end } = weekBounds(weekId, group.timeZone);
      const out: SessionSummary[] = [];
      let roster: Map<number, number> | undefined;
      for (const id of await repo.idsBetween(groupId, start, end)) {
        const s = await repo.session(groupId, id);
        if (!s) continue;
        let counts = s.final;
        if (!counts) {
          roster ??= new Map((await deps.groups.roster(groupId)).map((m) => [m.userId, m.joinedAt]));
          const c = classify({
            openedAt: s.openedAt,
            lateAfterMs: s.lateAfterMs,
            signedIn: await repo.signedIn(groupId, id),
            excused: await repo.excused(groupId, id),
            roster,
          });
          counts = {
            present: c.present.length,
            late: c.late.length,
            excused: c.excused.length,
            absent: c.absent.length,
            eligible: c.eligible.length,
          };
        }
        // Counts keep attendance's classes apart (present = on time); a summary counts everyone who signed in.
        const { present, ...rest } = counts;
        out.push({ id, title: s.title, openedAt: s.openedAt, closedAt: s.closedAt, ...rest, signed: present + counts.late });
      }
      return out;
    },
  };
}
