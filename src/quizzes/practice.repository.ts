import type { Redis } from "../shared/redis.js";
import { defineScript } from "../shared/redis-scripts.js";
import { userKey } from "../shared/keys.js";
import type { QuestionRef } from "./quiz-items.js";

const PRACTICE_TTL_S = 30 * 24 * 3600;

export interface PracticeState {
  /** "" for every track. */
  track: string;
  /** Questions not yet asked in this round, next first. */
  queue: QuestionRef[];
  /** The poll waiting for an answer; "" when none. */
  current: string;
  asked: number;
  right: number;
}

/** Moves on from `current` once, however many times its answer arrives. */
const ADVANCE = defineScript("practice.advance", 1, `
if redis.call('HGET', KEYS[1], 'current') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'current', '')
redis.call('HINCRBY', KEYS[1], 'asked', 1)
if ARGV[2] == '1' then redis.call('HINCRBY', KEYS[1], 'right', 1) end
return 1
`);

/** A member's private practice session: durable, so a restart does not lose the place. */
export function createPracticeRepository(redis: Redis) {
  const key = (userId: number) => userKey(userId, "practice");
  return {
    async start(userId: number, track: string, queue: QuestionRef[]): Promise<void> {
      await redis
        .multi()
        .del(key(userId))
        .hset(key(userId), { track, queue: JSON.stringify(queue), current: "", asked: 0, right: 0 })
        .expire(key(userId), PRACTICE_TTL_S)
        .exec();
    },

    async state(userId: number): Promise<PracticeState | undefined> {
      const raw = await redis.hgetall(key(userId));
      if (raw.queue === undefined) return undefined;
      return {
        track: raw.track ?? "",
        queue: JSON.parse(raw.queue) as QuestionRef[],
        current: raw.current ?? "",
        asked: Number(raw.asked ?? 0),
        right: Number(raw.right ?? 0),
      };
    },

    async setQueue(userId: number, queue: QuestionRef[], current: string): Promise<void> {
      await redis
        .multi()
        .hset(key(userId), { queue: JSON.stringify(queue), current })
        .expire(key(userId), PRACTICE_TTL_S)
        .exec();
    },

    /** True for exactly one caller per answered poll: the one that sends the next question. */
    advance: async (userId: number, pollId: string, correct: boolean): Promise<boolean> =>
      Number(await ADVANCE.run(redis, 1, key(userId), pollId, correct ? "1" : "0")) === 1,

    async stop(userId: number): Promise<boolean> {
      return (await redis.del(key(userId))) === 1;
    },
  };
}

export type PracticeRepository = ReturnType<typeof createPracticeRepository>;
