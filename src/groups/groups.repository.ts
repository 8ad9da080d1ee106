import type { Redis } from "../shared/redis.js";
import { defineScript } from "../shared/redis-scripts.js";
import { globalKey, groupKey, userKey } from "../shared/keys.js";
import { isLocale } from "../shared/i18n.js";
import type { GroupInfo, Member, UserProfile } from "./groups.types.js";

const ACTIVE = globalKey("groups", "active");
/** Writes the new record only if the stored one is still the one the change was computed from. */
const COMPARE_AND_SET = defineScript("groups.compare-and-set", 1, `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
return 1
`);
const ALL = globalKey("groups", "all");
/** Bumped by every change of a group's record or of the indexes: a reader of the whole list (the scheduler) reads it again only then. */
const VERSION = globalKey("groups", "version");
/** Groups whose record is kept in-process at most (a county has a few hundred); past it the oldest go. */
const MAX_RECENT = 2000;
/** A kept record older than this is of no use to any caller (their bound is a second) and is dropped. */
const RECENT_KEEP_MS = 10_000;
/** A short-lived copy of getChatMember's verdict for one user in one chat. */
const memberCheckKey = (chatId: number, userId: number) => groupKey(chatId, "member-check", userId);

/**
 * A member seen in a group, for a press's own script (src/floods/press-toll.ts): on the roster (first
 * seen kept), their display name, no longer among those who left. The same three writes as `touchMember`'s
 * MULTI; `rosterKeys` gives its keys (the group's slot), in this order.
 */
export const ROSTER_LUA = `
local function touch_roster(k, userId, name, at)
  redis.call('ZADD', k[1], 'NX', at, userId)
  redis.call('HSET', k[2], userId, name)
  redis.call('ZREM', k[3], userId)
end
`;
export const rosterKeys = (groupId: number): string[] => [groupKey(groupId, "roster"), groupKey(groupId, "names"), groupKey(groupId, "left")];

export function createGroupsRepository(redis: Redis) {
  /*
   * Reads of one group's record made while one is in flight share its reply (a storm's presses in one
   * group, fetched in one batch, read it once, not once each). A write by this process starts the next
   * read afresh, so a read that follows it sees it.
   */
  const reading = new Map<number, { read: Promise<string | null>; keep: boolean }>();
  /** `keep`: the hot path wants the reply kept in `recent` (a sweep of every group's record, as the scheduler's, does not). */
  function readRecord(id: number, keep: boolean): Promise<string | null> {
    const inFlight = reading.get(id);
    if (inFlight) {
      inFlight.keep ||= keep;
      return inFlight.read;
    }
    const entry: { read: Promise<string | null>; keep: boolean } = { read: Promise.resolve(null), keep };
    entry.read = redis
      .get(groupKey(id, "group"))
      .then((raw) => {
        if (reading.get(id) === entry && entry.keep) remember(id, raw);
        return raw;
      })
      .finally(() => {
        if (reading.get(id) === entry) reading.delete(id);
      });
    reading.set(id, entry);
    return entry.read;
  }

  /*
   * The raw record as last read, and when: `recentRecord` answers from it while it is young enough (the hot
   * path of presses and poll answers). Every write through this repository drops it here; another instance's
   * write, or one made straight into Redis, is seen once it is older than the caller's bound.
   */
  const recent = new Map<number, { raw: string | null; at: number }>();
  /** Kept in the order read (oldest first): past MAX_RECENT, or older than RECENT_KEEP_MS, the oldest go. */
  function remember(id: number, raw: string | null): void {
    const now = Date.now();
    recent.delete(id);
    recent.set(id, { raw, at: now });
    for (const [oldest, kept] of recent) {
      if (recent.size <= MAX_RECENT && now - kept.at <= RECENT_KEEP_MS) break;
      recent.delete(oldest);
    }
  }
  function forget(id: number): void {
    reading.delete(id);
    recent.delete(id);
  }

  /** Puts the group in the index of all groups, and in or out of the active ones. */
  async function index(groupId: number, active: boolean): Promise<void> {
    const id = String(groupId);
    await Promise.all([redis.sadd(ALL, id), active ? redis.sadd(ACTIVE, id) : redis.srem(ACTIVE, id), redis.incr(VERSION)]);
  }

  return {
    index,

    async save(group: GroupInfo): Promise<void> {
      // The record, then the indexes; not one transaction: the indexes are in other cluster slots.
      // Each write is idempotent, so the next save repairs whatever a crash in between left.
      await redis.set(groupKey(group.id, "group"), JSON.stringify(group));
      forget(group.id);
      await index(group.id, group.active);
    },

    /**
     * Changes a group's record by compare-and-set, retried on a race: two changes at the same
     * moment (two administrators, a press while a push stores the topic) both survive.
     */
    async modify(id: number, change: (group: GroupInfo) => GroupInfo): Promise<GroupInfo | undefined> {
      const key = groupKey(id, "group");
      for (let attempt = 0; attempt < 20; attempt++) {
        const raw = await redis.get(key);
        if (!raw) return undefined;
        const before = JSON.parse(raw) as GroupInfo;
        const next = change(before);
        if ((await COMPARE_AND_SET.run(redis, 1, key, raw, JSON.stringify(next))) === 1) {
          forget(id);
          if (next.active !== before.active) await index(id, next.active);
          else await redis.incr(VERSION);
          return next;
        }
      }
      throw new Error(`group ${id}: its record changed too often to update`);
    },

    async get(id: number): Promise<GroupInfo | undefined> {
      const raw = await readRecord(id, false);
      return raw ? (JSON.parse(raw) as GroupInfo) : undefined;
    },

    /** The record as read at most `maxAgeMs` ago (a fresh copy each call: callers may change theirs). */
    async recentRecord(id: number, maxAgeMs: number): Promise<GroupInfo | undefined> {
      const kept = recent.get(id);
      const raw = kept && Date.now() - kept.at <= maxAgeMs ? kept.raw : await readRecord(id, true);
      return raw ? (JSON.parse(raw) as GroupInfo) : undefined;
    },

    /** How many records are kept in-process now (for tests of the bound). */
    recentSize: (): number => recent.size,

    /** Moves with every change of any group (record or indexes); null before the first. */
    listVersion: (): Promise<string | null> => redis.get(VERSION),

    async activeIds(): Promise<number[]> {
      return (await redis.smembers(ACTIVE)).map(Number);
    },

    async allIds(): Promise<number[]> {
      return (await redis.smembers(ALL)).map(Number);
    },

    /** Adds to the roster (keeping the first join time) and refreshes the display name. */
    async touchMember(groupId: number, userId: number, name: string, at: number): Promise<void> {
      // Two calls, not one transaction: group keys and user keys live in different cluster slots.
      await Promise.all([
        redis
          .multi()
          .zadd(groupKey(groupId, "roster"), "NX", at, String(userId))
          .hset(groupKey(groupId, "names"), String(userId), name)
          .zrem(groupKey(groupId, "left"), String(userId))
          .exec(),
        redis.sadd(userKey(userId, "groups"), String(groupId)),
      ]);
    },

    /** The user's half of `touchMember` (another slot than the group's keys). */
    async addUserGroup(userId: number, groupId: number): Promise<void> {
      await redis.sadd(userKey(userId, "groups"), String(groupId));
    },

    /** The groups a user has been seen in (for private-chat features such as /lessons). */
    async groupsOf(userId: number): Promise<number[]> {
      return (await redis.smembers(userKey(userId, "groups"))).map(Number);
    },

    async isOnRoster(groupId: number, userId: number): Promise<boolean> {
      return (await redis.zscore(groupKey(groupId, "roster"), String(userId))) !== null;
    },

    async removeMember(groupId: number, userId: number, at: number): Promise<void> {
      await redis
        .multi()
        .zrem(groupKey(groupId, "roster"), String(userId))
        .zadd(groupKey(groupId, "left"), at, String(userId))
        .del(memberCheckKey(groupId, userId)) // a cached "is in the chat" must not outlive the leave
        .exec();
    },

    /** Telegram's recent answer to "is this user in the chat?", if still cached. */
    async memberCheck(chatId: number, userId: number): Promise<boolean | undefined> {
      const raw = await redis.get(memberCheckKey(chatId, userId));
      return raw === null ? undefined : raw === "1";
    },

    async cacheMemberCheck(chatId: number, userId: number, isMember: boolean, ttlMs: number): Promise<void> {
      await redis.set(memberCheckKey(chatId, userId), isMember ? "1" : "0", "PX", ttlMs);
    },

    async roster(groupId: number): Promise<Member[]> {
      const [flat, names] = await Promise.all([
        redis.zrange(groupKey(groupId, "roster"), "0", "-1", "WITHSCORES"),
        redis.hgetall(groupKey(groupId, "names")),
      ]);
      const out: Member[] = [];
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const userId = Number(flat[i]);
        out.push({ userId, joinedAt: Number(flat[i + 1]), name: names[String(userId)] ?? String(userId) });
      }
      return out;
    },

    async rosterSize(groupId: number): Promise<number> {
      return redis.zcard(groupKey(groupId, "roster"));
    },

    async names(groupId: number): Promise<Record<string, string>> {
      return redis.hgetall(groupKey(groupId, "names"));
    },

    async secretaries(groupId: number): Promise<number[]> {
      return (await redis.smembers(groupKey(groupId, "secretaries"))).map(Number);
    },

    async setSecretary(groupId: number, userId: number, on: boolean): Promise<void> {
      if (on) await redis.sadd(groupKey(groupId, "secretaries"), String(userId));
      else await redis.srem(groupKey(groupId, "secretaries"), String(userId));
    },

    /**
     * After a group's keys were copied to its supergroup's id: the record names the new id, the
     * indexes and every member's list of groups point there. Idempotent, so a resumed move repeats it.
     */
    async adoptMoved(from: number, to: number): Promise<void> {
      forget(from);
      const next = await this.modify(to, (g) => ({ ...g, id: to, type: "supergroup" }));
      await Promise.all([redis.srem(ACTIVE, String(from)), redis.srem(ALL, String(from)), redis.incr(VERSION)]);
      if (next) await index(to, next.active);
      const [members, left] = await Promise.all([
        redis.zrange(groupKey(to, "roster"), "0", "-1"),
        redis.zrange(groupKey(to, "left"), "0", "-1"),
      ]);
      // One user's set per call: every user's key is in its own cluster slot.
      for (const userId of new Set([...members, ...left])) {
        await redis.sadd(userKey(Number(userId), "groups"), String(to));
        await redis.srem(userKey(Number(userId), "groups"), String(from));
      }
    },

    async saveUser(profile: Partial<UserProfile> & { id: number }): Promise<void> {
      const fields: Record<string, string> = {};
      if (profile.name !== undefined) fields.name = profile.name;
      if (profile.username !== undefined) fields.username = profile.username;
      if (profile.privateOk !== undefined) fields.privateOk = profile.privateOk ? "1" : "0";
      if (profile.locale !== undefined) fields.locale = profile.locale;
      if (Object.keys(fields).length > 0) await redis.hset(userKey(profile.id, "profile"), fields);
    },

    async user(id: number): Promise<UserProfile | undefined> {
      const raw = await redis.hgetall(userKey(id, "profile"));
      if (!raw.name && !raw.privateOk) return undefined;
      return {
        id,
        name: raw.name ?? String(id),
        username: raw.username,
        privateOk: raw.privateOk === "1",
        locale: isLocale(raw.locale) ? raw.locale : undefined,
      };
    },
  };
}

export type GroupsRepository = ReturnType<typeof createGroupsRepository>;
