import type { Redis } from "../shared/redis.js";
import { defineScript } from "../shared/redis-scripts.js";
import { globalKey, groupKey } from "../shared/keys.js";
import { scanKeys } from "../shared/redis.js";

/** Survey polls stay answerable for a long time; their mapping and votes outlive a programme year. */
const KEEP_MS = 400 * 24 * 3600 * 1000;

/**
 * One member's vote on one poll, replaced only by an update at least as new (Telegram's update ids
 * grow), so a redelivered or late, older update never overwrites a newer choice. A retraction is
 * kept as an empty vote for the same reason.
 */
const VOTE = defineScript("surveys.vote", 1, `
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if cur then
  local seen = tonumber(string.match(cur, '^(%d+)|'))
  if seen and seen > tonumber(ARGV[2]) then return 0 end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. '|' .. ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
`);

export interface PollRef {
  groupId: number;
  runId: number;
  question: number;
}

export interface RunRecord {
  id: number;
  name: string;
  title: string;
  startedAt: number;
  weekId: string;
  /** The questions as they were posted (content may change later), with the topics each option stands for. */
  questions: { question: string; options: string[]; topics?: string[][] }[];
}

export function createSurveysRepository(redis: Redis) {
  const pollKey = (pollId: string) => globalKey("surveys", "poll", pollId);
  const runsKey = (g: number) => groupKey(g, "surveys", "runs");
  const runKey = (g: number, runId: number) => groupKey(g, "surveys", "run", runId);
  const votesKey = (g: number, runId: number, q: number) => groupKey(g, "surveys", "votes", runId, q);
  const messagesKey = (g: number, runId: number) => groupKey(g, "surveys", "messages", runId);
  const closedKey = (g: number, runId: number) => groupKey(g, "surveys", "closed", runId);

  return {
    async createRun(groupId: number, run: Omit<RunRecord, "id">): Promise<RunRecord> {
      const id = await redis.incr(groupKey(groupId, "surveys", "seq"));
      const record: RunRecord = { id, ...run };
      await redis
        .multi()
        .set(runKey(groupId, id), JSON.stringify(record), "PX", KEEP_MS)
        .zadd(runsKey(groupId), run.startedAt, String(id))
        .exec();
      return record;
    },

    async mapPoll(pollId: string, ref: PollRef): Promise<void> {
      await redis.set(pollKey(pollId), JSON.stringify(ref), "PX", KEEP_MS);
    },

    /** The poll messages of a run, in the order posted (to stop them when the run closes). */
    async addMessage(groupId: number, runId: number, messageId: number): Promise<void> {
      await redis.multi().rpush(messagesKey(groupId, runId), String(messageId)).pexpire(messagesKey(groupId, runId), KEEP_MS).exec();
    },

    async messages(groupId: number, runId: number): Promise<number[]> {
      return (await redis.lrange(messagesKey(groupId, runId), 0, -1)).map(Number);
    },

    /** Marks a run closed; true only for the first caller, so what follows a close happens once. */
    async close(groupId: number, runId: number, at: number): Promise<boolean> {
      return (await redis.set(closedKey(groupId, runId), String(at), "PX", KEEP_MS, "NX")) === "OK";
    },

    async closedAt(groupId: number, runId: number): Promise<number | undefined> {
      const raw = await redis.get(closedKey(groupId, runId));
      return raw === null ? undefined : Number(raw);
    },

    async pollRef(pollId: string): Promise<PollRef | undefined> {
      const raw = await redis.get(pollKey(pollId));
      return raw ? (JSON.parse(raw) as PollRef) : undefined;
    },

    /** Stores a member's current choice (empty = retracted); false when a newer update already did. */
    async vote(ref: PollRef, userId: number, updateId: number, optionIds: number[]): Promise<boolean> {
      const key = votesKey(ref.groupId, ref.runId, ref.question);
      const r = await VOTE.run(redis, 1, key, String(userId), String(updateId), optionIds.join(","), String(KEEP_MS));
      return Number(r) === 1;
    },

    /** Current choices per member of one question (retracted votes left out). */
    async votes(groupId: number, runId: number, question: number): Promise<Map<number, number[]>> {
      const raw = await redis.hgetall(votesKey(groupId, runId, question));
      const out = new Map<number, number[]>();
      for (const [user, value] of Object.entries(raw)) {
        const choice = value.split("|")[1] ?? "";
        if (choice) out.set(Number(user), choice.split(",").map(Number));
      }
      return out;
    },

    /** Runs of a group, oldest first (still stored). */
    async runs(groupId: number): Promise<RunRecord[]> {
      const ids = await redis.zrange(runsKey(groupId), "0", "-1");
      if (ids.length === 0) return [];
      const raws = await redis.mget(ids.map((id) => runKey(groupId, Number(id))));
      return raws.flatMap((raw) => (raw ? [JSON.parse(raw) as RunRecord] : [])).sort((a, b) => a.startedAt - b.startedAt || a.id - b.id);
    },

    /** A group became a supergroup: votes on its polls (global poll records) count for the new id. */
    async moveGroup(from: number, to: number): Promise<void> {
      for (const key of await scanKeys(redis, pollKey("*"))) {
        const raw = await redis.get(key);
        const ref = raw ? (JSON.parse(raw) as PollRef) : undefined;
        if (ref?.groupId === from) await redis.set(key, JSON.stringify({ ...ref, groupId: to }), "KEEPTTL");
      }
    },
  };
}

export type SurveysRepository = ReturnType<typeof createSurveysRepository>;
