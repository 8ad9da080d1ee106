import type { ActivityRepository } from "../activity/index.js";
import type { GroupInfo, GroupsService } from "../groups/index.js";
import type { LessonsService } from "../lessons/index.js";
import { mondayOf, parseWeekId, weekBounds } from "../shared/week.js";
import type { ReportSources } from "./report-sources.js";
import { summariseWeek, type GroupWeekStats } from "./week-stats.js";
import type { ParticipationParts } from "./participation.js";

export interface ReportData {
  activity: ActivityRepository;
  groups: Pick<GroupsService, "get" | "roster" | "names" | "activeGroups" | "user" | "isOrganiserNow" | "humanAdmins">;
  lessons: Pick<LessonsService, "pushes" | "studiedCount">;
  lessonTitle(lessonId: string): string;
  sources: ReportSources;
}

/** The seven local days (`YYYY-MM-DD`) of an ISO week, Monday first. */
export function daysOfWeek(weekId: string): string[] {
  const parsed = parseWeekId(weekId);
  if (!parsed) throw new RangeError(`not a week id: ${weekId}`);
  const mon = mondayOf(parsed.year, parsed.week);
  return Array.from({ length: 7 }, (_, i) => new Date(Date.UTC(mon.year, mon.month - 1, mon.day + i)).toISOString().slice(0, 10));
}

/** A group's week in full: the ledger's aggregates, lessons pushed, and what the other features provide. */
export async function loadWeekStats(d: ReportData, group: GroupInfo, weekId: string, now: number): Promise<GroupWeekStats> {
  const { start, end } = weekBounds(weekId, group.timeZone);
  const [roster, week, pushes, lastActive, sessions, quizQuestions, questions, forgotten] = await Promise.all([
    d.groups.roster(group.id),
    d.activity.week(group.id, weekId),
    d.lessons.pushes(group.id),
    d.activity.lastActive(group.id),
    d.sources.sessionsOf?.(group.id, weekId),
    d.sources.questionStats?.(group.id, weekId),
    d.sources.weekSummary?.(group.id, weekId),
    d.sources.forgotten?.(group.id, weekId),
  ]);
  const inWeek = pushes.filter((p) => p.weekId === weekId);
  const lessons = await Promise.all(
    inWeek.map(async (p) => ({ lessonId: p.lessonId, title: d.lessonTitle(p.lessonId), studied: await d.lessons.studiedCount(group.id, p.lessonId) })),
  );
  return summariseWeek({ groupId: group.id, title: group.title, weekId, start, end, now, roster, week, lessons, lastActive, sessions, quizQuestions, questions, forgotten });
}

/** The participation index of a group in several weeks: the ledger's week hashes, the roster and the pushes. */
export async function loadParticipation(
  d: ReportData,
  group: GroupInfo,
  weekIds: string[],
): Promise<{ members: number; lessons: number; parts: ParticipationParts }[]> {
  const [roster, pushes, weeks] = await Promise.all([
    d.groups.roster(group.id),
    d.lessons.pushes(group.id),
    Promise.all(weekIds.map((w) => d.activity.week(group.id, w))),
  ]);
  return weekIds.map((weekId, i) => {
    const { end } = weekBounds(weekId, group.timeZone);
    const stats = summariseWeek({
      groupId: group.id, title: group.title, weekId, start: 0, end, now: end, roster, week: weeks[i] ?? new Map(),
      lessons: pushes.filter((p) => p.weekId === weekId).map((p) => ({ lessonId: p.lessonId, title: "", studied: 0 })),
    });
    return { members: stats.members, lessons: stats.lessons.length, parts: stats.participation };
  });
}
