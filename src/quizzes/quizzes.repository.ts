import type { Redis } from "../shared/redis.js";
import { defineScript } from "../shared/redis-scripts.js";
import { globalKey, groupKey } from "../shared/keys.js";
import { scanKeys } from "../shared/redis.js";
import type { QuestionRef } from "./quiz-items.js";
import { LEDGER_LUA, ledgerKeys, type ActivityEvent } from "../activity/index.js";

const scoredKey = (groupId: number, scoreKey: string) => groupKey(groupId, "quiz", "scored", scoreKey);

/** Poll records, answers and runs outlive the poll by weeks: late updates still find their group. */
const POLL_TTL_S = 30 * 24 * 3600;
/** Question statistics feed weekly reports and comparisons across a year. */
const STATS_TTL_S = 400 * 24 * 3600;

export type PollKind = "lesson" | "contest" | "practice";

/** What the bot remembers of a poll it sent: `poll_answer` updates carry only the poll id. */
export interface PollMeta {
  pollId: string;
  /** The group, or the member's private chat for practice. */
  chatId: number;
  kind: PollKind;
  /** Lesson quizzes and contests: the run the poll belongs to. */
  runId?: string;
  /** Position of the question in its run. */
  index: number;
  ref: QuestionRef;
  correct: number;
  sentAt: number;
  /** 0 when the poll has no open period (practice). */
  openMs: number;
  messageId: number;
  /** Points count once per member and scoreKey: a lesson's question once even if re-sent; a contest poll once. */
  scoreKey: string;
  /** The week the question was asked in (question statistics). */
  weekId: string;
}

export interface StoredAnswer {
  correct: boolean;
  points: number;
  /** Milliseconds from sending to the answer. */
  ms: number;
  at: number;
}

export interface RunInfo {
  runId: string;
  kind: "lesson" | "contest";
  title: string;
  refs: QuestionRef[];
  createdAt: number;
  /** Lesson quizzes: the lesson; contests: the bank. */
  source: string;
  closed: number;
  finished: boolean;
}

export interface MemberRunStats {
  answers: number;
  correct: number;
  points: number;
  /** Summed milliseconds of the right answers (speed ranks ties). */
  ms: number;
}

/**
 * One answer per member and poll; the run's member totals, the week's question counts and the ledger's entry
 * (once per member and question: KEYS 5-11 are `ledgerKeys`, its once-set the question's scored set) with it.
 * Returns {1, answer, counted} for a new answer, {0, the stored answer} for one already stored. Without `ledger`
 * (its group is another's now) the ledger is left to the caller.
 */
const RECORD_ANSWER = defineScript("quizzes.record-answer", 11, `${LEDGER_LUA}
local prev = redis.call('HGET', KEYS[1], ARGV[1])
if prev then return {0, prev} end
local uid, ttl = ARGV[1], tonumber(ARGV[7])
redis.call('HSET', KEYS[1], uid, ARGV[2])
redis.call('EXPIRE', KEYS[1], ttl)
redis.call('HINCRBY', KEYS[2], uid .. ':a', 1)
if ARGV[3] == '1' then
  redis.call('HINCRBY', KEYS[2], uid .. ':c', 1)
  redis.call('HINCRBY', KEYS[2], uid .. ':p', ARGV[4])
  redis.call('HINCRBY', KEYS[2], uid .. ':ms', ARGV[5])
end
redis.call('EXPIRE', KEYS[2], ttl)
if redis.call('SADD', KEYS[3], uid) == 1 then
  redis.call('EXPIRE', KEYS[3], ARGV[8])
  redis.call('HINCRBY', KEYS[4], ARGV[6] .. '|a', 1)
  if ARGV[3] == '1' then redis.call('HINCRBY', KEYS[4], ARGV[6] .. '|c', 1) end
  redis.call('EXPIRE', KEYS[4], ARGV[8])
end
local incs = {}
for i = 12, #ARGV do table.insert(incs, ARGV[i]) end
local ledger = {KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10], KEYS[11]}
local counted = 0
if ARGV[9] ~= '' then counted = record_activity(ledger, uid, uid, ARGV[11], ARGV[9], ARGV[10], incs) end
if counted == 1 then redis.call('EXPIRE', KEYS[5], ARGV[8]) end
return {1, ARGV[2], counted}
`);

/** Marks a poll of a run closed once; returns how many of the run's polls are closed, or -1 if it already was. */
const CLOSE_POLL = defineScript("quizzes.close-poll", 1, `
if redis.call('HSETNX', KEYS[1], 'closed:' .. ARGV[1], '1') == 0 then return -1 end
return redis.call('HINCRBY', KEYS[1], 'closed', 1)
`);

const RELEASE_IF_OWNER = defineScript("quizzes.release-if-owner", 1, `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

export function createQuizzesRepository(redis: Redis) {
  const pollKey = (pollId: string) => globalKey("quiz", "poll", pollId);
  const runKey = (g: number, runId: string) => groupKey(g, "quiz", "run", runId);
  const runMembersKey = (g: number, runId: string) => groupKey(g, "quiz", "run", runId, "m");
  const contestKey = (g: number) => groupKey(g, "quiz", "contest");

  return {
    /** The once-set recordActivity uses for quiz counters (distinct from the statistics' own). */
    scoredKey,

    async savePoll(meta: PollMeta): Promise<void> {
      await redis.set(pollKey(meta.pollId), JSON.stringify(meta), "EX", POLL_TTL_S);
    },

    async poll(pollId: string): Promise<PollMeta | undefined> {
      const raw = await redis.get(pollKey(pollId));
      return raw ? (JSON.parse(raw) as PollMeta) : undefined;
    },

    /** Stores a member's answer unless one is stored; returns the stored one and whether it is new. */
    /** Stores a member's answer once per poll and, when it is new, its ledger entry (`ledger`: the event of this answer). */
    async recordAnswer(
      meta: PollMeta,
      userId: number,
      answer: StoredAnswer,
      ledger?: Pick<ActivityEvent, "weekId" | "dayId" | "ref" | "increments">,
    ): Promise<{ fresh: boolean; answer: StoredAnswer; counted: boolean }> {
      const g = meta.chatId;
      const once = { key: scoredKey(g, meta.scoreKey), member: String(userId) };
      const incs = Object.entries(ledger?.increments ?? {}).flatMap(([c, n]) => [c, String(n)]);
      const result = (await RECORD_ANSWER.run(
        redis,
        11,
        groupKey(g, "quiz", "ans", meta.pollId),
        runMembersKey(g, meta.runId ?? "none"),
        groupKey(g, "quiz", "statonce", meta.scoreKey),
        groupKey(g, "quiz", "qstats", meta.weekId),
        ...ledgerKeys({ groupId: g, weekId: ledger?.weekId ?? meta.weekId, dayId: ledger?.dayId ?? "", once }),
        String(userId),
        JSON.stringify(answer),
        answer.correct ? "1" : "0",
        String(answer.points),
        String(answer.ms),
        meta.ref,
        String(POLL_TTL_S),
        String(STATS_TTL_S),
        ledger?.ref ?? "",
        ledger?.weekId ?? "",
        String(answer.at),
        ...incs,
      )) as [number, string, number?];
      return { fresh: result[0] === 1, answer: JSON.parse(result[1]) as StoredAnswer, counted: result[2] === 1 };
    },

    async expireScored(groupId: number, scoreKey: string): Promise<void> {
      await redis.expire(groupKey(groupId, "quiz", "scored", scoreKey), STATS_TTL_S);
    },

    /** Per question of a week: `ref|a` answered and `ref|c` right. */
    async questionCounts(groupId: number, weekId: string): Promise<Record<string, string>> {
      return redis.hgetall(groupKey(groupId, "quiz", "qstats", weekId));
    },

    async nextRunId(groupId: number): Promise<string> {
      return String(await redis.incr(groupKey(groupId, "quiz", "runseq")));
    },

    async createRun(groupId: number, run: Omit<RunInfo, "closed" | "finished">): Promise<void> {
      const key = runKey(groupId, run.runId);
      await redis
        .multi()
        .hset(key, {
          kind: run.kind,
          title: run.title,
          refs: JSON.stringify(run.refs),
          createdAt: run.createdAt,
          source: run.source,
          closed: 0,
        })
        .expire(key, POLL_TTL_S)
        .exec();
    },

    async run(groupId: number, runId: string): Promise<RunInfo | undefined> {
      const raw = await redis.hgetall(runKey(groupId, runId));
      if (!raw.kind) return undefined;
      return {
        runId,
        kind: raw.kind === "contest" ? "contest" : "lesson",
        title: raw.title ?? "",
        refs: JSON.parse(raw.refs ?? "[]") as QuestionRef[],
        createdAt: Number(raw.createdAt),
        source: raw.source ?? "",
        closed: Number(raw.closed ?? 0),
        finished: raw.finished === "1",
      };
    },

    closePoll: async (groupId: number, runId: string, pollId: string): Promise<number> =>
      Number(await CLOSE_POLL.run(redis, 1, runKey(groupId, runId), pollId)),

    /** True for exactly one caller: the one that sends the results. */
    finishRun: async (groupId: number, runId: string): Promise<boolean> =>
      (await redis.hsetnx(runKey(groupId, runId), "finished", "1")) === 1,

    async runMembers(groupId: number, runId: string): Promise<Map<number, MemberRunStats>> {
      const raw = await redis.hgetall(runMembersKey(groupId, runId));
      const out = new Map<number, MemberRunStats>();
      for (const [field, value] of Object.entries(raw)) {
        const [uid, what] = field.split(":");
        const row = out.get(Number(uid)) ?? { answers: 0, correct: 0, points: 0, ms: 0 };
        const n = Number(value);
        if (what === "a") row.answers = n;
        else if (what === "c") row.correct = n;
        else if (what === "p") row.points = n;
        else if (what === "ms") row.ms = n;
        out.set(Number(uid), row);
      }
      return out;
    },

    /** The run's poll ids in order (contests send them one at a time). */
    async addRunPoll(groupId: number, runId: string, index: number, pollId: string): Promise<void> {
      await redis.hset(runKey(groupId, runId), `poll:${index}`, pollId);
    },

    /** The run an outbox job started, if it got that far (a retried job resumes that run). */
    jobRun: async (groupId: number, jobId: string): Promise<string | null> => redis.get(groupKey(groupId, "quiz", "jobrun", jobId)),

    /** Ties `runId` to an outbox job once; resolves with the run the job holds (the first one claimed). */
    async claimJobRun(groupId: number, jobId: string, runId: string): Promise<string> {
      const key = groupKey(groupId, "quiz", "jobrun", jobId);
      await redis.set(key, runId, "EX", POLL_TTL_S, "NX");
      return (await redis.get(key)) ?? runId;
    },

    async lastLessonRun(groupId: number, lessonId: string): Promise<number> {
      return Number((await redis.hget(groupKey(groupId, "quiz", "lessonrun"), lessonId)) ?? 0);
    },

    async markLessonRun(groupId: number, lessonId: string, at: number): Promise<void> {
      await redis.hset(groupKey(groupId, "quiz", "lessonrun"), lessonId, String(at));
    },

    /** One contest per group: true if `runId` now holds the group's contest slot. */
    claimContest: async (groupId: number, runId: string, ttlMs: number): Promise<boolean> =>
      (await redis.set(contestKey(groupId), runId, "PX", ttlMs, "NX")) === "OK",

    releaseContest: async (groupId: number, runId: string): Promise<void> => {
      await RELEASE_IF_OWNER.run(redis, 1, contestKey(groupId), runId);
    },

    currentContest: async (groupId: number): Promise<string | null> => redis.get(contestKey(groupId)),

    /** A group became a supergroup: its polls' records (global keys) name the new chat, answers keep counting. */
    async moveGroup(from: number, to: number): Promise<void> {
      for (const key of await scanKeys(redis, pollKey("*"))) {
        const raw = await redis.get(key);
        const meta = raw ? (JSON.parse(raw) as PollMeta) : undefined;
        if (meta?.chatId === from) await redis.set(key, JSON.stringify({ ...meta, chatId: to }), "KEEPTTL");
      }
    },
  };
}

export type QuizzesRepository = ReturnType<typeof createQuizzesRepository>;
