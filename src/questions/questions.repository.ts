import type { Redis } from "../shared/redis.js";
import { defineScript } from "../shared/redis-scripts.js";
import { globalKey, groupKey } from "../shared/keys.js";
import type { AnswerRecord, Draft, Prompt, PublicAnswer, Question, QuestionState, QuestionTrack } from "./questions.types.js";

/**
 * Questions are one queue across groups (one numbering, one experts' chat), so every key shares
 * the hash tag `{q}`: scripts and transactions over them stay in one Redis Cluster slot.
 */
const k = (...parts: (string | number)[]) => globalKey("{q}", ...parts);
const SEQ = k("seq");
const OPEN = k("open");
const PUBLIC = k("public");
const TOPICS = k("topics");
const DAY = 24 * 3600;

/** Sliding window: allows the ask and remembers it, unless `limit` asks happened in the window. */
const ALLOW = defineScript("questions.allow", 1, `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`);

/** Stores an answer; the first one also stamps the question and takes it off the open list. Returns 1 if first. */
/** 1 claimed now; 0 already posted; -1 another caller's claim is younger than the lease. */
const CLAIM_REMINDER = defineScript("questions.claim-reminder", 1, `
if redis.call('HEXISTS', KEYS[1], 'remindPostedAt') == 1 then return 0 end
local claimed = redis.call('HGET', KEYS[1], 'remindedAt')
if claimed and tonumber(claimed) > tonumber(ARGV[1]) - tonumber(ARGV[2]) then return -1 end
redis.call('HSET', KEYS[1], 'remindedAt', ARGV[1])
return 1
`);
const ANSWERED = defineScript("questions.answered", undefined, `
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
local first = redis.call('HSETNX', KEYS[1], 'firstAnswerAt', ARGV[4])
if first == 1 then
  redis.call('HSET', KEYS[1], 'firstExpertId', ARGV[5], 'excerpt', ARGV[6])
  redis.call('ZREM', KEYS[3], ARGV[1])
  if KEYS[4] ~= KEYS[3] then redis.call('ZADD', KEYS[4], ARGV[4], ARGV[1]) end
end
return first
`);

function toState(raw: Record<string, string>): QuestionState | undefined {
  if (!raw.q) return undefined;
  const q = JSON.parse(raw.q) as Question;
  const state: QuestionState = { ...q, answers: Number(raw.answers ?? 0) };
  if (raw.card) state.card = JSON.parse(raw.card) as QuestionState["card"];
  if (raw.firstAnswerAt) state.firstAnswerAt = Number(raw.firstAnswerAt);
  if (raw.firstExpertId) state.firstExpertId = Number(raw.firstExpertId);
  if (raw.excerpt) state.excerpt = raw.excerpt;
  return state;
}

export function createQuestionsRepository(redis: Redis) {
  const question = (id: number) => k("q", id);
  const answers = (id: number) => k("answers", id);
  const ratings = (id: number) => k("ratings", id);
  const byGroup = (groupId: number) => k("group", groupId);
  const answeredIn = (groupId: number) => k("answered", groupId);
  const publicIn = (groupId: number) => k("public", "group", groupId);

  return {
    /** The next question number: short, increasing, unique across instances. */
    nextId: async (): Promise<number> => redis.incr(SEQ),

    async allowAsk(userId: number, now: number, limit: number, windowMs: number): Promise<boolean> {
      const r = await ALLOW.run(redis, 1, k("rate", userId), String(now), String(windowMs), String(limit), `${now}:${Math.random()}`);
      return r === 1;
    },

    /** Claims a member's message as a question; false when it already is one (a redelivered update). */
    async claimAsk(chatId: number, messageId: number): Promise<boolean> {
      return (await redis.set(k("asked", chatId, messageId), "1", "EX", 7 * DAY, "NX")) === "OK";
    },

    async save(q: Question): Promise<void> {
      const tx = redis.multi().hset(question(q.id), { q: JSON.stringify(q), answers: "0" }).zadd(OPEN, q.askedAt, String(q.id));
      if (q.groupId !== undefined) tx.zadd(byGroup(q.groupId), q.askedAt, String(q.id));
      await tx.exec();
    },

    async get(id: number): Promise<QuestionState | undefined> {
      return toState(await redis.hgetall(question(id)));
    },

    async many(ids: number[]): Promise<QuestionState[]> {
      if (ids.length === 0) return [];
      const pipe = redis.pipeline();
      for (const id of ids) pipe.hgetall(question(id));
      const rows = (await pipe.exec()) ?? [];
      return rows.map(([, raw]) => toState((raw ?? {}) as Record<string, string>)).filter((q): q is QuestionState => q !== undefined);
    },

    async setCard(id: number, card: { messageId: number; threadId?: number }): Promise<void> {
      await redis.hset(question(id), "card", JSON.stringify(card));
    },

    /** Remembers that a message in the experts' chat stands for a question (durable: replies to it map back). */
    async mapExpertMessage(chatId: number, messageId: number, questionId: number): Promise<void> {
      await redis.set(k("xmsg", chatId, messageId), String(questionId));
    },

    async questionForExpertMessage(chatId: number, messageId: number): Promise<number | undefined> {
      const raw = await redis.get(k("xmsg", chatId, messageId));
      return raw ? Number(raw) : undefined;
    },

    /** True once per expert message: a redelivered update is relayed once. */
    async claimRelay(chatId: number, messageId: number): Promise<boolean> {
      return (await redis.set(k("relayed", chatId, messageId), "1", "EX", 30 * DAY, "NX")) === "OK";
    },

    /** Gives the claim back after a relay failed, so a redelivery may try again. */
    async releaseRelay(chatId: number, messageId: number): Promise<void> {
      await redis.del(k("relayed", chatId, messageId));
    },

    nextAnswerNumber: async (id: number): Promise<number> => redis.hincrby(question(id), "answers", 1),

    /** Records an answer; true when it is the question's first. */
    async recordAnswer(q: Question, a: AnswerRecord): Promise<boolean> {
      const group = q.groupId !== undefined ? answeredIn(q.groupId) : OPEN;
      const keys = [question(q.id), answers(q.id), OPEN, group];
      const r = await ANSWERED.run(redis, keys.length, ...keys, String(q.id), String(a.n), JSON.stringify(a), String(a.at), String(a.expertId), a.excerpt);
      return r === 1;
    },

    async answer(id: number, n: number): Promise<AnswerRecord | undefined> {
      const raw = await redis.hget(answers(id), String(n));
      return raw ? (JSON.parse(raw) as AnswerRecord) : undefined;
    },

    /** Sets the asker's rating of an answer; returns the previous one. */
    async rate(id: number, n: number, rating: NonNullable<AnswerRecord["rating"]>): Promise<string | null> {
      const res = await redis.multi().hget(ratings(id), String(n)).hset(ratings(id), String(n), rating).exec();
      return (res?.[0]?.[1] as string | null | undefined) ?? null;
    },

    async ratingsOf(id: number): Promise<string[]> {
      return redis.hvals(ratings(id));
    },

    /**
     * Makes an answer public for /faq in its group; false when it already was. The group's entry
     * carries what /faq shows, so a search reads one hash per group; the county-wide list is kept
     * too (who made what public, in order).
     */
    async makePublic(id: number, n: number, at: number, entry: PublicAnswer): Promise<boolean> {
      const member = `${id}:${n}`;
      const res = await redis.multi().hsetnx(publicIn(entry.groupId), member, JSON.stringify(entry)).zadd(PUBLIC, "NX", at, member).exec();
      return res?.[0]?.[1] === 1;
    },

    /** Every answer made public in one group. */
    async publicAnswersOf(groupId: number): Promise<PublicAnswer[]> {
      return Object.values(await redis.hgetall(publicIn(groupId))).map((raw) => JSON.parse(raw) as PublicAnswer);
    },

    /**
     * A group became a supergroup: its questions name the new chat (answers are relayed there) and
     * its lists move to the new id. All `{q}` keys, so the lists move in one transaction.
     */
    async moveGroup(from: number, to: number): Promise<void> {
      for (const id of await redis.zrange(byGroup(from), "0", "-1")) {
        const raw = await redis.hget(question(Number(id)), "q");
        if (!raw) continue;
        const q = JSON.parse(raw) as Question;
        if (q.groupId !== from && q.chatId !== from) continue;
        const moved: Question = { ...q, ...(q.groupId === from ? { groupId: to } : {}), ...(q.chatId === from ? { chatId: to } : {}) };
        await redis.hset(question(Number(id)), "q", JSON.stringify(moved));
      }
      // The answers made public there follow, still /faq's in the group (now under its new id).
      const pub = Object.entries(await redis.hgetall(publicIn(from)));
      const tx = redis
        .multi()
        .zunionstore(byGroup(to), 2, byGroup(to), byGroup(from), "AGGREGATE", "MIN")
        .zunionstore(answeredIn(to), 2, answeredIn(to), answeredIn(from), "AGGREGATE", "MIN");
      for (const [field, raw] of pub) tx.hsetnx(publicIn(to), field, JSON.stringify({ ...(JSON.parse(raw) as PublicAnswer), groupId: to }));
      await tx.del(byGroup(from), answeredIn(from), publicIn(from)).exec();
    },

    async answeredInGroup(groupId: number, limit: number): Promise<number[]> {
      return (await redis.zrevrange(answeredIn(groupId), 0, limit - 1)).map(Number);
    },

    /**
     * The reminder is announced once: "claimed" for one caller; "done" once `reminderPosted` was recorded;
     * "busy" while another caller's claim is younger than `leaseMs` (after that, a crashed claim is taken over).
     */
    async claimReminder(id: number, at: number, leaseMs: number): Promise<"claimed" | "done" | "busy"> {
      const r = Number(await CLAIM_REMINDER.run(redis, 1, question(id), String(at), String(leaseMs)));
      return r === 1 ? "claimed" : r === 0 ? "done" : "busy";
    },

    /** The reminder is out: no later claim is given. */
    async reminderPosted(id: number, at: number): Promise<void> {
      await redis.hset(question(id), "remindPostedAt", String(at));
    },

    /** Unanswered questions, oldest first, and how many there are in all. */
    async open(limit: number): Promise<{ ids: number[]; total: number }> {
      const [ids, total] = await Promise.all([redis.zrange(OPEN, "0", String(limit - 1)), redis.zcard(OPEN)]);
      return { ids: ids.map(Number), total };
    },

    async askedBetween(groupId: number, start: number, end: number): Promise<number[]> {
      return (await redis.zrangebyscore(byGroup(groupId), String(start), `(${end}`)).map(Number);
    },

    async saveDraft(id: string, draft: Draft): Promise<void> {
      await redis.set(k("draft", id), JSON.stringify(draft), "EX", DAY);
    },

    async draft(id: string): Promise<Draft | undefined> {
      const raw = await redis.get(k("draft", id));
      return raw ? (JSON.parse(raw) as Draft) : undefined;
    },

    /** Takes a draft once: two presses of a track button make one question. */
    async takeDraft(id: string): Promise<Draft | undefined> {
      const raw = await redis.getdel(k("draft", id));
      return raw ? (JSON.parse(raw) as Draft) : undefined;
    },

    async savePrompt(chatId: number, messageId: number, prompt: Prompt): Promise<void> {
      await redis.set(k("prompt", chatId, messageId), JSON.stringify(prompt), "EX", DAY);
    },

    async prompt(chatId: number, messageId: number): Promise<Prompt | undefined> {
      const raw = await redis.get(k("prompt", chatId, messageId));
      return raw ? (JSON.parse(raw) as Prompt) : undefined;
    },

    async dropPrompt(chatId: number, messageId: number): Promise<void> {
      await redis.del(k("prompt", chatId, messageId));
    },

    async topic(track: QuestionTrack): Promise<number | undefined> {
      const raw = await redis.hget(TOPICS, track);
      return raw ? Number(raw) : undefined;
    },

    async setTopic(track: QuestionTrack, threadId: number): Promise<void> {
      await redis.hset(TOPICS, track, String(threadId));
    },

    async forgetTopic(track: QuestionTrack): Promise<void> {
      await redis.hdel(TOPICS, track);
    },

    /** Album parts arrive as separate updates (maybe at different instances): collect them here. */
    async addAlbumPart(groupId: string, part: string): Promise<boolean> {
      const res = await redis
        .multi()
        .set(k("album", groupId, "lead"), "1", "EX", 600, "NX")
        .rpush(k("album", groupId), part)
        .expire(k("album", groupId), 600)
        .exec();
      return res?.[0]?.[1] === "OK";
    },

    async albumParts(groupId: string): Promise<string[]> {
      return redis.lrange(k("album", groupId), 0, -1);
    },
  };
}

export type QuestionsRepository = ReturnType<typeof createQuestionsRepository>;

/** The once-set that makes `questions_asked` count once per question; in the group's slot, as the activity script needs. */
export function questionsCountedKey(groupId: number): string {
  return groupKey(groupId, "questions", "counted");
}
