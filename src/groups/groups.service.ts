import type { Api } from "grammy";
import type { Chat, ChatMember, User } from "grammy/types";
import type { Schedule, Track } from "../content/types.js";
import type { Clock } from "../shared/clock.js";
import { ourLocale, type Locale } from "../shared/i18n.js";
import type { Logger } from "../shared/logger.js";
import type { GroupMoveRepository } from "./group-move.repository.js";
import { rosterKeys, type GroupsRepository } from "./groups.repository.js";
import type { PressToll } from "../floods/press-toll.js";
import type { GroupInfo, Member } from "./groups.types.js";

export interface GroupsConfig {
  defaultLocale: Locale;
  defaultTimeZone: string;
  organizerIds: number[];
  defaultSchedule: Schedule;
  /** The experts' chat: its members may use the private member features too. */
  expertsChatId?: number | undefined;
}

const ADMIN_CACHE_MS = 60_000;
/** How old a group's record a press or poll answer may be handled with (settings changed elsewhere show after it). */
export const GROUP_RECORD_MAX_AGE_MS = 1000;
/** Records read at once when listing every active group in batches: round trips stay few, memory small. */
const ACTIVE_BATCH = 250;
/** How long Telegram's "in the chat or not" stays trusted: a stranger's flood of answers costs one call a minute. */
const MEMBER_CHECK_MS = 60_000;

/** Whether a ChatMember is in the chat now (a restricted member may still be in it). */
export function isInChat(member: Pick<ChatMember, "status"> & { is_member?: boolean }): boolean {
  if (member.status === "creator" || member.status === "administrator" || member.status === "member") return true;
  return member.status === "restricted" && member.is_member === true;
}

export function displayName(user: Pick<User, "first_name" | "last_name" | "username" | "id">): string {
  const name = [user.first_name, user.last_name].filter(Boolean).join(" ").trim();
  return name || (user.username ? `@${user.username}` : String(user.id));
}

export function createGroupsService(deps: {
  repo: GroupsRepository;
  api: Api;
  clock: Clock;
  config: GroupsConfig;
  logger: Logger;
  /** Where groups upgraded to supergroups went; without it, ids are taken as they are. */
  moves?: Pick<GroupMoveRepository, "movedTo">;
  /** After a group's time zone changed (what follows it: members' review reminders). */
  onZoneChanged?: (groupId: number, timeZone: string) => Promise<void>;
}) {
  const { repo, clock, config } = deps;
  const adminCache = new Map<string, { admin: boolean; until: number }>();
  const changeListeners: (() => void)[] = [];
  const changed = () => changeListeners.forEach((listener) => listener());

  /** Is the user in the chat, as Telegram says (cached briefly in Redis)? A failed check says no, uncached. */
  async function isChatMember(chatId: number, userId: number): Promise<boolean> {
    const cached = await repo.memberCheck(chatId, userId);
    if (cached !== undefined) return cached;
    let inChat: boolean;
    try {
      inChat = isInChat(await deps.api.getChatMember(chatId, userId));
    } catch (err) {
      deps.logger.warn({ err, chat: chatId, user: userId }, "getChatMember failed; not taken for a member");
      return false;
    }
    await repo.cacheMemberCheck(chatId, userId, inChat, MEMBER_CHECK_MS);
    return inChat;
  }

  async function humanAdmins(chatId: number): Promise<number[]> {
    return (await deps.api.getChatAdministrators(chatId)).filter((a) => !a.user.is_bot).map((a) => a.user.id);
  }

  /** Group administrators (asked of Telegram, cached briefly) and county organisers. */
  async function isOrganiser(chatId: number, userId: number): Promise<boolean> {
    if (config.organizerIds.includes(userId)) return true;
    const key = `${chatId}:${userId}`;
    const cached = adminCache.get(key);
    const now = clock.now();
    if (cached && cached.until > now) return cached.admin;
    let admin: boolean;
    try {
      const member = await deps.api.getChatMember(chatId, userId);
      admin = member.status === "creator" || member.status === "administrator";
    } catch (err) {
      deps.logger.warn({ err, chat: chatId, user: userId }, "getChatMember failed; treating as member");
      return false;
    }
    if (adminCache.size > 50_000) adminCache.clear();
    adminCache.set(key, { admin, until: now + ADMIN_CACHE_MS });
    return admin;
  }

  /** The group's record; for a group upgraded to a supergroup, the supergroup's (a job or timer made before the move). */
  async function get(id: number): Promise<GroupInfo | undefined> {
    const group = await repo.get(id);
    if (group || !deps.moves) return group;
    const to = await deps.moves.movedTo(id);
    return to === undefined ? undefined : repo.get(to);
  }

  /**
   * The group as read at most GROUP_RECORD_MAX_AGE_MS ago, for presses and poll answers (no Redis read per
   * update in a storm). Writes through this instance are seen at once; others' within that bound.
   */
  async function getRecent(id: number): Promise<GroupInfo | undefined> {
    const group = await repo.recentRecord(id, GROUP_RECORD_MAX_AGE_MS);
    if (group || !deps.moves) return group;
    const to = await deps.moves.movedTo(id);
    return to === undefined ? undefined : repo.get(to);
  }

  return {
    /** Called after a group is registered, deactivated or changed by this instance. */
    onChange(listener: () => void): void {
      changeListeners.push(listener);
    },
    get,
    getRecent,
    /** The group an update happened in: for a press, as `getRecent` (a storm's presses do not read it once each), else as `get`. */
    ofUpdate(id: number, press: boolean): Promise<GroupInfo | undefined> {
      return press ? getRecent(id) : get(id);
    },
    activeIds: () => repo.activeIds(),
    roster: (id: number): Promise<Member[]> => repo.roster(id),
    rosterSize: (id: number) => repo.rosterSize(id),
    /** Display names of everyone the group has seen, members who left included. */
    names: (id: number) => repo.names(id),
    user: (id: number) => repo.user(id),
    secretaries: (groupId: number) => repo.secretaries(groupId),
    groupsOf: (userId: number) => repo.groupsOf(userId),
    isOnRoster: (groupId: number, userId: number) => repo.isOnRoster(groupId, userId),
    setSecretary: (groupId: number, userId: number, on: boolean) => repo.setSecretary(groupId, userId, on),

    async activeGroups(): Promise<GroupInfo[]> {
      const ids = await repo.activeIds();
      const groups = await Promise.all(ids.map((id) => repo.get(id)));
      return groups.filter((g): g is GroupInfo => g !== undefined && g.active);
    },

    /** The active groups a batch at a time, for a reader that keeps only part of each record (the scheduler). */
    /** Moves with every change of any group: the whole list needs reading again only when it moved. */
    listVersion: (): Promise<string | null> => repo.listVersion(),

    async *activeGroupBatches(size = ACTIVE_BATCH): AsyncGenerator<GroupInfo[]> {
      const ids = await repo.activeIds();
      for (let i = 0; i < ids.length; i += size) {
        const groups = await Promise.all(ids.slice(i, i + size).map((id) => repo.get(id)));
        yield groups.filter((g): g is GroupInfo => g !== undefined && g.active);
      }
    },

    /** The bot was added (or re-added): keep settings and progress of a group seen before. */
    async register(chat: Chat.GroupChat | Chat.SupergroupChat): Promise<{ group: GroupInfo; isNew: boolean }> {
      // An upgraded group's old id never comes back as a group of its own (it would be scheduled again).
      const movedTo = await deps.moves?.movedTo(chat.id);
      const moved = movedTo === undefined ? undefined : await repo.get(movedTo);
      if (moved) return { group: moved, isNew: false };
      const now = clock.now();
      const isForum = chat.type === "supergroup" && chat.is_forum === true;
      const rejoined = { title: chat.title, active: true, registeredAt: now, type: chat.type, isForum };
      // A group seen before keeps its settings and progress; the change is a compare-and-set.
      const existing = await repo.modify(chat.id, (g) => ({ ...g, ...rejoined }));
      const group: GroupInfo = existing ?? {
        id: chat.id,
        ...rejoined,
        locale: config.defaultLocale,
        timeZone: config.defaultTimeZone,
        tracksOff: [],
        schedule: structuredClone(config.defaultSchedule),
        scheduleUpdatedAt: now,
      };
      if (existing) await repo.index(group.id, true);
      else await repo.save(group);
      changed();
      deps.logger.info({ group: chat.id, isNew: !existing }, "group registered");
      return { group, isNew: !existing };
    },

    async deactivate(chatId: number): Promise<void> {
      const group = await repo.get(chatId);
      if (!group || !group.active) return;
      await repo.modify(chatId, (g) => ({ ...g, active: false }));
      changed();
      deps.logger.info({ group: chatId }, "group deactivated");
    },

    async update(chatId: number, patch: Partial<Omit<GroupInfo, "id">>): Promise<GroupInfo | undefined> {
      const at = clock.now();
      let zoneWas: string | undefined;
      const next = await repo.modify(chatId, (group) => {
        zoneWas = group.timeZone;
        return { ...group, ...patch, ...(patch.schedule ? { scheduleUpdatedAt: at } : {}) };
      });
      if (next) changed();
      if (next && deps.onZoneChanged && zoneWas !== next.timeZone) {
        // The change is saved either way; what missed it catches up when it next runs (a reminder checks the zone).
        await deps.onZoneChanged(chatId, next.timeZone).catch((err: unknown) => deps.logger.warn({ err, group: chatId }, "time zone change not followed everywhere"));
      }
      return next;
    },

    enabledTracks(group: GroupInfo): Track[] {
      return (["constitution", "policy", "technology"] as const).filter((t) => !group.tracksOff.includes(t));
    },

    async touchMember(groupId: number, user: User): Promise<void> {
      if (user.is_bot) return;
      await repo.touchMember(groupId, user.id, displayName(user), clock.now());
    },

    /**
     * touchMember for a press that pays a toll: the roster's half goes into the toll (the feature's
     * script writes it, or the toll alone); the user's half (another slot) is sent now, and awaited by the caller.
     */
    tollMember(groupId: number, user: User, toll: PressToll): Promise<void> {
      const name = displayName(user);
      const at = clock.now();
      toll.roster = {
        keys: rosterKeys(groupId),
        args: [String(user.id), name, String(at)],
        alone: () => repo.touchMember(groupId, user.id, name, at),
      };
      return repo.addUserGroup(user.id, groupId);
    },

    async memberLeft(groupId: number, userId: number): Promise<void> {
      await repo.removeMember(groupId, userId, clock.now());
    },

    async rememberUser(user: User, privateOk?: boolean): Promise<void> {
      if (user.is_bot) return;
      const locale = ourLocale(user.language_code);
      await repo.saveUser({ id: user.id, name: displayName(user), username: user.username, privateOk, locale });
    },

    isCountyOrganiser(userId: number): boolean {
      return config.organizerIds.includes(userId);
    },

    isOrganiser,

    /**
     * isOrganiser asked of Telegram afresh: for a deep link's Start, which can come long after the
     * request that made it, when the rights may have gone.
     */
    async isOrganiserNow(chatId: number, userId: number): Promise<boolean> {
      adminCache.delete(`${chatId}:${userId}`);
      return isOrganiser(chatId, userId);
    },

    isChatMember,

    /**
     * May this person count in the group? Yes when on the roster; someone new only once Telegram
     * confirms they are in the group (a poll answer carries no chat: a forwarded copy of a group's
     * poll reaches strangers). A confirmed member joins the roster, with a fresh display name.
     */
    async confirmMember(groupId: number, user: User): Promise<boolean> {
      if (user.is_bot) return false;
      if (!(await repo.isOnRoster(groupId, user.id)) && !(await isChatMember(groupId, user.id))) return false;
      await repo.touchMember(groupId, user.id, displayName(user), clock.now());
      return true;
    },

    /**
     * The private member features (/ask, /lessons): for the roster of an active group, county
     * organisers and experts (members of the experts' chat).
     */
    async mayUsePrivately(userId: number): Promise<boolean> {
      if (config.organizerIds.includes(userId)) return true;
      for (const groupId of await repo.groupsOf(userId)) {
        if (!(await repo.isOnRoster(groupId, userId))) continue;
        if ((await repo.get(groupId))?.active) return true;
      }
      return config.expertsChatId !== undefined && isChatMember(config.expertsChatId, userId);
    },

    /** The group's human administrators' ids, as Telegram lists them now (throws when it will not say). */
    humanAdmins,

    /** The group's human administrators who started the bot in private (who can be told things); none when Telegram will not say. */
    async reachableAdmins(chatId: number): Promise<number[]> {
      let ids: number[];
      try {
        ids = await humanAdmins(chatId);
      } catch (err) {
        deps.logger.warn({ err, chat: chatId }, "getChatAdministrators failed");
        return [];
      }
      const profiles = await Promise.all(ids.map((id) => repo.user(id)));
      return ids.filter((_, i) => profiles[i]?.privateOk);
    },

    /** Forget a cached admin status (after a chat_member update says it changed). */
    forgetAdmin(chatId: number, userId: number): void {
      adminCache.delete(`${chatId}:${userId}`);
    },
  };
}

export type GroupsService = ReturnType<typeof createGroupsService>;
