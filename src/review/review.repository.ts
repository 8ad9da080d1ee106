import type { Redis } from "../shared/redis.js";
import { defineScript } from "../shared/redis-scripts.js";
import { globalKey, groupKey, userKey } from "../shared/keys.js";
import type { QuestionRef } from "../quizzes/index.js";
import { decodeCard, encodeCard, type MemoryCard } from "./memory-card.js";

/** A review poll's record outlives the poll by weeks: a late answer still finds its member and question. */
const POLL_TTL_S = 30 * 24 * 3600;
/** The open batch of /review: a day is long enough to come back to it. */
const OPEN_TTL_S = 2 * 24 * 3600;
/** Forgotten-question counts feed weekly reports over a year. */
const STATS_TTL_S = 400 * 24 * 3600;

/**
 * Replaces a card only if it is still the one read (compare-and-set), card and due time together: two answers
 * at once (a redelivered update, two instances) never lose one. Both keys carry the member's `{u<id>}` tag.
 */
const SAVE_CARD = defineScript("review.save-card", 2, `
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if (cur or '') ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
return 1
`);

/** A day of reviewing: the streak goes on from yesterday, starts again otherwise; a second review today changes nothing. */
const MARK_DAY = defineScript("review.mark-day", 1, `
local last = redis.call('HGET', KEYS[1], 'lastDay')
local streak = tonumber(redis.call('HGET', KEYS[1], 'streak') or '0')
if last == ARGV[1] then return streak end
if last == ARGV[2] then streak = streak + 1 else streak = 1 end
redis.call('HSET', KEYS[1], 'lastDay', ARGV[1], 'streak', streak)
return streak
`);

/** Closes one poll of the open batch if it is still open there: how many stay open, or -1. */
const CLOSE_POLL = defineScript("review.close-poll", 1, `
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return -1 end
redis.call('HDEL', KEYS[1], ARGV[1])
return redis.call('HLEN', KEYS[1])
`);

export interface ReviewPoll {
  userId: number;
  ref: QuestionRef;
  correct: number;
}

/** The member's review settings and streak (one small hash). */
export interface ReviewProfile {
  /** `HH:MM` of the daily reminder, when on. */
  remind?: string;
  /** The time zone the reminder and "today" were last taken in (their group's, or the default). */
  timeZone?: string;
  /**
   * The group whose zone that is, followed when the group's zone changes: null when it is the default zone
   * (no group), undefined for a reminder set before the zone was followed.
   */
  zoneGroup?: number | null;
  locale?: string;
  lastDay?: string;
  streak: number;
}

const zoneFields = (timeZone: string, zoneGroup: number | null) => ({ tz: timeZone, tzg: zoneGroup === null ? "" : String(zoneGroup) });

export function createReviewRepository(redis: Redis) {
  const cardsKey = (u: number) => userKey(u, "review", "cards");
  const dueKey = (u: number) => userKey(u, "review", "due");
  const profileKey = (u: number) => userKey(u, "review", "me");
  const openKey = (u: number) => userKey(u, "review", "open");
  const pollKey = (pollId: string) => globalKey("review", "poll", pollId);

  return {
    /** The stored text of a card (what `saveCard` compares against) and the card it encodes. */
    async card(userId: number, ref: QuestionRef): Promise<{ raw: string; card: MemoryCard | undefined }> {
      const raw = (await redis.hget(cardsKey(userId), ref)) ?? "";
      return { raw, card: decodeCard(raw) };
    },

    /** Stores `card` if the card is still `expected` (`""`: none yet); false when someone changed it meanwhile. */
    saveCard: async (userId: number, ref: QuestionRef, expected: string, card: MemoryCard): Promise<boolean> =>
      Number(await SAVE_CARD.run(redis, 2, cardsKey(userId), dueKey(userId), ref, expected, encodeCard(card), String(card.due))) === 1,

    /** A question gone from the content: its card goes too. */
    async dropCard(userId: number, ref: QuestionRef): Promise<void> {
      await redis.multi().hdel(cardsKey(userId), ref).zrem(dueKey(userId), ref).exec();
    },

    /** Questions due before `until`, most overdue first. */
    async dueRefs(userId: number, until: number, limit: number, offset = 0): Promise<QuestionRef[]> {
      return redis.zrangebyscore(dueKey(userId), "-inf", `(${until}`, "LIMIT", offset, limit);
    },

    dueCount: async (userId: number, until: number): Promise<number> => redis.zcount(dueKey(userId), "-inf", `(${until}`),

    /** When the member's next question falls due, if they have any card. */
    async nextDue(userId: number): Promise<number | undefined> {
      const [, score] = await redis.zrange(dueKey(userId), "0", "0", "WITHSCORES");
      return score === undefined ? undefined : Number(score);
    },

    async savePoll(pollId: string, poll: ReviewPoll): Promise<void> {
      await redis.set(pollKey(pollId), JSON.stringify(poll), "EX", POLL_TTL_S);
    },

    async poll(pollId: string): Promise<ReviewPoll | undefined> {
      const raw = await redis.get(pollKey(pollId));
      return raw ? (JSON.parse(raw) as ReviewPoll) : undefined;
    },

    /** The batch of /review still unanswered: question → poll. */
    openBatch: async (userId: number): Promise<Record<string, string>> => redis.hgetall(openKey(userId)),

    /** Adds polls to the open batch (`fresh`: a new /review, the old batch forgotten). */
    async openPolls(userId: number, polls: Record<string, string>, fresh: boolean): Promise<void> {
      const m = redis.multi();
      if (fresh) m.del(openKey(userId));
      if (Object.keys(polls).length > 0) m.hset(openKey(userId), polls).expire(openKey(userId), OPEN_TTL_S);
      await m.exec();
    },

    /** The answer closed this poll of the batch: how many stay open, or -1 when it was not open (a repeat, an old batch). */
    closePoll: async (userId: number, ref: QuestionRef, pollId: string): Promise<number> =>
      Number(await CLOSE_POLL.run(redis, 1, openKey(userId), ref, pollId)),

    async profile(userId: number): Promise<ReviewProfile> {
      const raw = await redis.hgetall(profileKey(userId));
      const zoneGroup = raw.tzg === undefined ? undefined : raw.tzg === "" ? null : Number(raw.tzg);
      return { remind: raw.remind, timeZone: raw.tz, zoneGroup, locale: raw.locale, lastDay: raw.lastDay, streak: Number(raw.streak ?? 0) };
    },

    /** The reminder's time (undefined: off), and the zone it follows: the group's (`zoneGroup`) or the default (null). */
    async setReminder(userId: number, time: string | undefined, zone: { timeZone: string; zoneGroup: number | null }, locale: string): Promise<void> {
      const key = profileKey(userId);
      const fields = { ...zoneFields(zone.timeZone, zone.zoneGroup), locale };
      if (time === undefined) await redis.multi().hdel(key, "remind").hset(key, fields).exec();
      else await redis.hset(key, { remind: time, ...fields });
    },

    /** The zone the reminder follows changed (its group's did). */
    async setZone(userId: number, timeZone: string, zoneGroup: number | null): Promise<void> {
      await redis.hset(profileKey(userId), zoneFields(timeZone, zoneGroup));
    },

    /** Counts today in the streak; returns the streak. */
    markDay: async (userId: number, today: string, yesterday: string): Promise<number> =>
      Number(await MARK_DAY.run(redis, 1, profileKey(userId), today, yesterday)),

    /** The once-set of a group's review answers counted in the ledger on one local day. */
    countedKey: (groupId: number, dayId: string) => groupKey(groupId, "review", "counted", dayId),

    async expireCounted(groupId: number, dayId: string): Promise<void> {
      await redis.expire(groupKey(groupId, "review", "counted", dayId), 3 * 24 * 3600);
    },

    /** A member of the group forgot a question they had right before (an FSRS lapse), in the group's week. */
    async countLapse(groupId: number, weekId: string, ref: QuestionRef): Promise<void> {
      const key = groupKey(groupId, "review", "lapses", weekId);
      await redis.multi().hincrby(key, ref, 1).expire(key, STATS_TTL_S).exec();
    },

    /** Question → how often it was forgotten in the group's week. */
    async lapses(groupId: number, weekId: string): Promise<Map<QuestionRef, number>> {
      const raw = await redis.hgetall(groupKey(groupId, "review", "lapses", weekId));
      return new Map(Object.entries(raw).map(([ref, n]) => [ref, Number(n)]));
    },
  };
}

export type ReviewRepository = ReturnType<typeof createReviewRepository>;
