import type { GroupInfo, GroupsService } from "../groups/index.js";
import type { InitDataUser } from "./console.auth.js";

/** Who is looking, decided on the server from the signed initData alone. */
export interface Viewer {
  userId: number;
  /** A county organiser (ORGANIZER_IDS): every group. */
  county: boolean;
  /** Groups whose organiser they are (administrators, as Telegram says, cached briefly by the groups feature). */
  organises: GroupInfo[];
  /** Active groups whose roster they are on: their own record there. */
  memberOf: GroupInfo[];
}

export type Role = "county" | "organiser" | "member" | "none";

/** The viewer's strongest role: what the page opens on. */
export function roleOf(viewer: Viewer): Role {
  if (viewer.county) return "county";
  if (viewer.organises.length > 0) return "organiser";
  return viewer.memberOf.length > 0 ? "member" : "none";
}

type Groups = Pick<GroupsService, "isCountyOrganiser" | "isOrganiser" | "groupsOf" | "get" | "isOnRoster">;

/** The viewer of a verified user: county organiser, organiser of their groups, or member of them. */
export async function viewerOf(groups: Groups, user: InitDataUser): Promise<Viewer> {
  const county = groups.isCountyOrganiser(user.id);
  const ids = await groups.groupsOf(user.id);
  const found = await Promise.all(
    ids.map(async (id) => {
      const group = await groups.get(id);
      if (!group?.active) return undefined;
      const [organiser, onRoster] = await Promise.all([groups.isOrganiser(group.id, user.id), groups.isOnRoster(group.id, user.id)]);
      return { group, organiser, onRoster };
    }),
  );
  const seen = found.filter((f) => f !== undefined);
  return {
    userId: user.id,
    county,
    organises: seen.filter((f) => f.organiser).map((f) => f.group),
    memberOf: seen.filter((f) => f.onRoster).map((f) => f.group),
  };
}

/** May the viewer see this group's figures and act in it (the commands' own check: groups.isOrganiser)? */
export function mayOrganise(groups: Pick<GroupsService, "isOrganiser">, viewer: Viewer, groupId: number): Promise<boolean> {
  return groups.isOrganiser(groupId, viewer.userId);
}

/** May the viewer see this member's record: the member themself, or an organiser of the group. */
export async function mayViewMember(groups: Pick<GroupsService, "isOrganiser">, viewer: Viewer, groupId: number, userId: number): Promise<boolean> {
  return viewer.userId === userId || (await mayOrganise(groups, viewer, groupId));
}
