import type { ActivityRepository, Counter } from "../activity/index.js";
import type { Curriculum, Track } from "../content/types.js";
import { rankedTopics, type DemandService, type DemandView, type GroupNeedsRow } from "../demand/index.js";
import type { GroupInfo, GroupsService } from "../groups/index.js";
import type { LessonsService } from "../lessons/index.js";
import { weekFigures, weeksEndingWith, type ReportsService, type WeekFigures, type GroupWeekStats } from "../reports/index.js";
import { weekBounds } from "../shared/week.js";
import type { ConsoleRepository } from "./console.repository.js";

/** Weeks a trend or sparkline covers, the asked week last. */
export const TREND_WEEKS = 8;
/** How far back a member's timeline goes. */
const TIMELINE_WEEKS = 8;
const TIMELINE_LIMIT = 300;

export interface ConsoleDeps {
  groups: GroupsService;
  reports: ReportsService;
  lessons: LessonsService;
  activity: ActivityRepository;
  curriculum: Curriculum;
  demand: DemandService;
  repo: ConsoleRepository;
}

export interface CountyGroupRow {
  rank: number;
  id: number;
  title: string;
  /** The town its organisers set (`/settings town`), null when none. */
  town: string | null;
  members: number;
  lessons: number;
  studied: number;
  signedIn: number;
  quiz: number;
  index: number;
  change: number;
  /** The participation index, week by week, oldest first (the asked week last). */
  trend: number[];
  /** Nobody studied, signed in or answered a quiz in the week. */
  inactive: boolean;
  tracks: Track[];
}

export interface MemberRow {
  userId: number;
  name: string;
  week: Partial<Record<Counter, number>>;
  total: Partial<Record<Counter, number>>;
  lastActive: number | null;
  /** The /stats rule: no activity for two weeks (counted from min(now, end of week)). */
  inactive: boolean;
}

export interface TimelineEntry {
  at: number;
  kind: "lesson" | "signin" | "quiz" | "question" | "other";
  /** What it was about: a lesson's title, a session or question number, a quiz item. */
  about: string;
  counters: Partial<Record<Counter, number>>;
}

/** The group's elective tracks as /schedule shows them (demand's `view()`), lessons reduced to what the page shows. */
export interface DemandPlan {
  needs: { survey: string; closedAt: number; voters: number; topics: { topic: string; votes: number }[] } | null;
  reorder: boolean;
  plans: { track: Track; upcoming: { id: string; title: string; topics: string[]; pinned: boolean }[] }[];
  skipped: { id: string; title: string }[];
}

/** What the page needs of demand's view, nothing more (no lesson bodies). */
export function demandPlan(view: DemandView): DemandPlan {
  const pinned = new Set(view.choices.pins);
  const needs = view.needs;
  return {
    needs: needs ? { survey: needs.survey, closedAt: needs.closedAt, voters: needs.voters, topics: rankedTopics(needs.votes).map(([topic, votes]) => ({ topic, votes })) } : null,
    reorder: view.choices.reorder,
    plans: view.plans.map((p) => ({ track: p.track, upcoming: p.upcoming.map((l) => ({ id: l.id, title: l.title, topics: l.topics, pinned: pinned.has(l.id) })) })),
    skipped: view.skipped.map((l) => ({ id: l.id, title: l.title })),
  };
}

const KINDS = new Set(["lesson", "signin", "quiz", "question"]);

/** What the console shows, read from the same services the commands read (no second copy of the numbers). */
export function createConsoleService(deps: ConsoleDeps & { clock: { now(): number } }) {
  const { groups, reports, lessons, activity, curriculum, demand, repo, clock } = deps;

  /**
   * The participation index of each group in weeks before the ranking's two, oldest first. Finished weeks are read
   * once and kept in Redis (one hash per week, shared by every instance, surviving restarts): reading them is most
   * of the view's cost, every member's counters of six weeks in every group. A week still running (a future week
   * asked for) is read every time and never kept. A finished week keeps the roster it was first counted over.
   */
  async function pastIndices(list: GroupInfo[], weekIds: string[]): Promise<Map<number, number[]>> {
    const now = clock.now();
    const ids = list.map((g) => g.id);
    const stored = await Promise.all(weekIds.map((w) => repo.pastIndices(w, ids)));
    const out = new Map<number, number[]>();
    const fresh = new Map<string, Map<number, number>>(weekIds.map((w) => [w, new Map()]));
    await Promise.all(
      list.map(async (group, g) => {
        const missing = weekIds.filter((_, w) => stored[w]?.[g] === undefined);
        const read = missing.length > 0 ? await reports.participationWeeks(group, missing) : [];
        const got = new Map(missing.map((w, i) => [w, read[i]?.parts.index ?? 0]));
        for (const w of missing) if (weekBounds(w, group.timeZone).end <= now) fresh.get(w)?.set(group.id, got.get(w) ?? 0);
        out.set(group.id, weekIds.map((w, i) => stored[i]?.[g] ?? got.get(w) ?? 0));
      }),
    );
    await Promise.all([...fresh].map(([w, indices]) => repo.savePastIndices(w, indices)));
    return out;
  }

  return {
    /**
     * The county view: /report's rows with each group's 8-week trend (its last two weeks are the ranking's own), the
     * towns the groups belong to, and the needs across groups (/report's training-by-demand section).
     */
    async county(weekId: string): Promise<{ weekId: string; weeks: string[]; towns: string[]; groups: CountyGroupRow[]; needs: GroupNeedsRow[] }> {
      const weeks = weeksEndingWith(weekId, TREND_WEEKS);
      const older = weeks.slice(0, -2);
      const [rows, needs] = await Promise.all([reports.countyRanking(weekId), demand.needsAcrossGroups()]);
      const past = await pastIndices(rows.map((r) => r.group), older);
      const trends = rows.map((r) => [...(past.get(r.group.id) ?? []), r.parts.index - r.change, r.parts.index]);
      const towns = [...new Set(rows.flatMap((r) => (r.group.town ? [r.group.town] : [])))].sort((a, b) => a.localeCompare(b));
      return {
        weekId,
        weeks,
        towns,
        needs,
        groups: rows.map((r, i) => ({
          rank: r.rank,
          id: r.group.id,
          title: r.group.title,
          town: r.group.town ?? null,
          members: r.members,
          lessons: r.lessons,
          studied: r.parts.studied,
          signedIn: r.parts.signedIn,
          quiz: r.parts.quiz,
          index: r.parts.index,
          change: r.change,
          trend: trends[i] ?? [],
          inactive: r.parts.studied === 0 && r.parts.signedIn === 0 && r.parts.quiz === 0,
          tracks: groups.enabledTracks(r.group),
        })),
      };
    },

    /**
     * The group view: /stats of the week (its review figures included), its figures over 8 weeks, the member table,
     * and the elective tracks' order as /schedule shows it.
     */
    async group(group: GroupInfo, weekId: string): Promise<{ stats: GroupWeekStats; trend: (WeekFigures & { weekId: string })[]; members: MemberRow[]; demand: DemandPlan }> {
      const weeks = weeksEndingWith(weekId, TREND_WEEKS);
      const [all, plan] = await Promise.all([Promise.all(weeks.map((w) => reports.weekStats(group, w))), demand.view(group)]);
      const stats = all.at(-1);
      if (!stats) throw new Error("unreachable: the asked week is in the trend");
      const [roster, week, total, last] = await Promise.all([
        groups.roster(group.id),
        activity.week(group.id, weekId),
        activity.allTime(group.id),
        activity.lastActive(group.id),
      ]);
      const inactive = new Set(stats.inactive.map((m) => m.userId));
      const { end } = weekBounds(weekId, group.timeZone);
      const members = roster
        .filter((m) => m.joinedAt < end)
        .map((m) => ({
          userId: m.userId,
          name: m.name,
          week: week.get(m.userId) ?? {},
          total: total.get(m.userId) ?? {},
          lastActive: last.get(m.userId) ?? null,
          inactive: inactive.has(m.userId),
        }));
      return { stats, trend: all.map((s) => ({ weekId: s.weekId, ...weekFigures(s) })), members, demand: demandPlan(plan) };
    },

    /** One member's timeline in a group, newest first, over the last eight weeks up to `now`. */
    async member(group: GroupInfo, userId: number, now: number): Promise<{ userId: number; name: string; onRoster: boolean; timeline: TimelineEntry[] }> {
      const since = now - TIMELINE_WEEKS * 7 * 86_400_000;
      const [names, onRoster, events] = await Promise.all([
        groups.names(group.id),
        groups.isOnRoster(group.id, userId),
        activity.memberEvents(group.id, userId, since, TIMELINE_LIMIT),
      ]);
      const timeline = events.map((e): TimelineEntry => {
        const sep = e.ref.indexOf(":");
        const kind = sep > 0 ? e.ref.slice(0, sep) : "other";
        const id = e.ref.slice(sep + 1);
        const about = kind === "lesson" ? (curriculum.byId.get(id)?.title ?? id) : id;
        return { at: e.at, kind: KINDS.has(kind) ? (kind as TimelineEntry["kind"]) : "other", about, counters: e.counters };
      });
      return { userId, name: names[String(userId)] ?? String(userId), onRoster, timeline };
    },

    /** Members of the group (started the bot in private, so they can be written to) who have not marked the lesson studied. */
    async notStudied(group: GroupInfo, lessonId: string): Promise<{ reachable: number[]; unreachable: number }> {
      const roster = await groups.roster(group.id);
      const checks = await Promise.all(
        roster.map(async (m) => {
          if (await lessons.hasStudied(group.id, lessonId, m.userId)) return "studied" as const;
          return (await groups.user(m.userId))?.privateOk ? m.userId : ("unreachable" as const);
        }),
      );
      const reachable = checks.filter((c): c is number => typeof c === "number");
      return { reachable, unreachable: checks.filter((c) => c === "unreachable").length };
    },
  };
}

export type ConsoleService = ReturnType<typeof createConsoleService>;
