import type { ActivityRepository } from "../activity/index.js";
import type { GroupInfo, GroupsService } from "../groups/index.js";
import type { Clock } from "../shared/clock.js";
import { weekIdAt } from "../shared/week.js";
import { rankBoard, rowOf, type BoardRow, type Counters } from "./leaderboard.js";

export type BoardScope = "week" | "all";

export interface ScoresDeps {
  activity: Pick<ActivityRepository, "week" | "allTime">;
  groups: Pick<GroupsService, "names" | "user" | "get" | "groupsOf" | "isOnRoster">;
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

/**
 * The member's row and how many are on the board, without names: a rank depends only on score and
 * lessons studied (`rankBoard` shares it among equals), so `/me` reads one hash per scope, nothing else.
 */
function standing(counters: Map<number, Counters>, userId: number): { row: BoardRow | undefined; of: number } {
  const mine = counters.get(userId);
  const me = mine && hasActivity(mine) ? rowOf(userId, String(userId), mine) : undefined;
  let of = 0;
  let ahead = 0;
  for (const c of counters.values()) {
    if (!hasActivity(c)) continue;
    of++;
    if (!me) continue;
    const r = rowOf(0, "", c);
    if (r.score > me.score || (r.score === me.score && r.studied > me.studied)) ahead++;
  }
  return { row: me ? { ...me, rank: ahead + 1 } : undefined, of };
}

export function createScoresService(deps: ScoresDeps) {
  const { activity, groups, clock } = deps;

  /** The current ISO week in the group's time zone. */
  const currentWeek = (group: GroupInfo) => weekIdAt(clock.now(), group.timeZone);

  /**
   * The group's ranked board of members with any activity in the scope. Names come from the group's
   * name hash (members who left included), one read; only a member never named there is looked up
   * on their profile, those lookups together.
   */
  async function board(group: GroupInfo, scope: BoardScope): Promise<BoardRow[]> {
    const [counters, names] = await Promise.all([
      scope === "week" ? activity.week(group.id, currentWeek(group)) : activity.allTime(group.id),
      groups.names(group.id),
    ]);
    const active = [...counters].filter(([, c]) => hasActivity(c));
    const unnamed = active.map(([userId]) => userId).filter((userId) => names[String(userId)] === undefined);
    const profiles = await Promise.all(unnamed.map((userId) => groups.user(userId)));
    unnamed.forEach((userId, i) => (names[String(userId)] = profiles[i]?.name ?? String(userId)));
    return rankBoard(active.map(([userId, c]) => rowOf(userId, names[String(userId)] ?? String(userId), c)));
  }

  /** `/me` in a group: the member's week and all-time lines, ranks and streak. */
  async function me(group: GroupInfo, userId: number): Promise<MyLine> {
    const [week, all, streak] = await Promise.all([
      activity.week(group.id, currentWeek(group)),
      activity.allTime(group.id),
      deps.streakOf ? deps.streakOf(group.id, userId) : Promise.resolve(undefined),
    ]);
    const w = standing(week, userId);
    const a = standing(all, userId);
    return { week: w.row, all: a.row, weekId: currentWeek(group), weekOf: w.of, allOf: a.of, streak };
  }

  return {
    currentWeek,
    board,
    me,

    /**
     * `/me` in private: the member's line in each active group whose roster has them. Starts from
     * the groups the member was seen in, so the cost follows their groups, not the county's.
     */
    async myGroups(userId: number): Promise<{ group: GroupInfo; line: MyLine }[]> {
      const ids = await groups.groupsOf(userId);
      const found = await Promise.all(
        ids.map(async (id) => {
          const [group, onRoster] = await Promise.all([groups.get(id), groups.isOnRoster(id, userId)]);
          return group?.active && onRoster ? { group, line: await me(group, userId) } : undefined;
        }),
      );
      return found.filter((e): e is { group: GroupInfo; line: MyLine } => e !== undefined).sort((a, b) => a.group.id - b.group.id);
    },
  };
}

export type ScoresService = ReturnType<typeof createScoresService>;
