import type { ActivityRepository } from "../activity/index.js";
import type { GroupInfo, GroupsService } from "../groups/index.js";
import type { Clock } from "../shared/clock.js";
import { weekIdAt } from "../shared/week.js";
import { rankBoard, rowOf, type BoardRow, type Counters } from "./leaderboard.js";

export type BoardScope = "week" | "all";

export interface ScoresDeps {
  activity: Pick<ActivityRepository, "week" | "allTime">;
  groups: Pick<GroupsService, "roster" | "user" | "activeGroups">;
  clock: Clock;
  /** The member's sign-in streak, when the sign-ins feature is wired in. */
  streakOf?: (groupId: number, userId: number) => Promise<number>;
}

export interface MyLine {
  week: BoardRow | undefined;
  all: BoardRow | undefined;
  weekId: string;
  /** How many members are on each board. */
  weekOf: number;
  allOf: number;
  streak?: number;
}

const hasActivity = (c: Counters) => Object.values(c).some((n) => (n ?? 0) > 0);

export function createScoresService(deps: ScoresDeps) {
  const { activity, groups, clock } = deps;

  /** The current ISO week in the group's time zone. */
  const currentWeek = (group: GroupInfo) => weekIdAt(clock.now(), group.timeZone);

  /** The group's ranked board of members with any activity in the scope, names from the roster. */
  async function board(group: GroupInfo, scope: BoardScope): Promise<BoardRow[]> {
    const [counters, roster] = await Promise.all([
      scope === "week" ? activity.week(group.id, currentWeek(group)) : activity.allTime(group.id),
      groups.roster(group.id),
    ]);
    const names = new Map(roster.map((m) => [m.userId, m.name]));
    const rows = [];
    for (const [userId, c] of counters) {
      if (!hasActivity(c)) continue;
      const name = names.get(userId) ?? (await groups.user(userId))?.name ?? String(userId);
      rows.push(rowOf(userId, name, c));
    }
    return rankBoard(rows);
  }

  /** `/me` in a group: the member's week and all-time lines, ranks and streak. */
  async function me(group: GroupInfo, userId: number): Promise<MyLine> {
    const [week, all, streak] = await Promise.all([
      board(group, "week"),
      board(group, "all"),
      deps.streakOf ? deps.streakOf(group.id, userId) : Promise.resolve(undefined),
    ]);
    return {
      week: week.find((r) => r.userId === userId),
      all: all.find((r) => r.userId === userId),
      weekId: currentWeek(group),
      weekOf: week.length,
      allOf: all.length,
      streak,
    };
  }

  return {
    currentWeek,
    board,
    me,

    /**
     * `/me` in private: the member's line in each active group whose roster has them. Reads every
     * active group's roster, fine for a county's few hundred groups.
     */
    async myGroups(userId: number): Promise<{ group: GroupInfo; line: MyLine }[]> {
      const out: { group: GroupInfo; line: MyLine }[] = [];
      for (const group of await groups.activeGroups()) {
        const roster = await groups.roster(group.id);
        if (!roster.some((m) => m.userId === userId)) continue;
        out.push({ group, line: await me(group, userId) });
      }
      return out;
    },
  };
}

export type ScoresService = ReturnType<typeof createScoresService>;
