import { globalKey, userKey } from "../../shared/keys.js";
import type { Redis } from "../../shared/redis.js";
import type { Draft, Proposal, WrittenLesson } from "./authoring.types.js";

/** A draft left alone this long is forgotten (the author starts again with /newlesson). */
const DRAFT_TTL_S = 7 * 24 * 3600;

const lessonsKey = globalKey("written", "lessons");
const versionKey = globalKey("written", "version");
const draftKey = (userId: number) => userKey(userId, "authoring", "draft");
const proposalsKey = globalKey("written", "proposals");

/**
 * Lessons written in Telegram (a hash: id → the lesson as JSON), a version every change bumps so every
 * instance reloads, and each author's draft (the conversation's state, under the author's own key).
 */
export function createAuthoringRepository(redis: Redis) {
  return {
    version: async (): Promise<number> => Number((await redis.get(versionKey)) ?? 0),

    /** Every written lesson as stored (removed ones too: they stay for the history of pushes). */
    all: async (): Promise<string[]> => Object.values(await redis.hgetall(lessonsKey)),

    get: async (id: string): Promise<string | null> => redis.hget(lessonsKey, id),

    /** Stores the lesson and bumps the version, in one transaction (no instance sees one without the other). */
    save: async (lesson: WrittenLesson): Promise<void> => {
      await redis.multi().hset(lessonsKey, lesson.id, JSON.stringify(lesson)).incr(versionKey).exec();
    },

    draft: async (userId: number): Promise<Draft | undefined> => {
      const raw = await redis.get(draftKey(userId));
      return raw ? (JSON.parse(raw) as Draft) : undefined;
    },

    saveDraft: async (userId: number, draft: Draft): Promise<void> => {
      await redis.set(draftKey(userId), JSON.stringify(draft), "EX", DRAFT_TTL_S);
    },

    dropDraft: async (userId: number): Promise<boolean> => (await redis.del(draftKey(userId))) > 0,

    /** Stores a proposal unless one exists for the same answer; true when this call stored it. */
    propose: async (p: Proposal): Promise<boolean> => (await redis.hsetnx(proposalsKey, p.key, JSON.stringify(p))) === 1,

    proposal: async (key: string): Promise<Proposal | undefined> => {
      const raw = await redis.hget(proposalsKey, key);
      return raw ? (JSON.parse(raw) as Proposal) : undefined;
    },
  };
}

export type AuthoringRepository = ReturnType<typeof createAuthoringRepository>;
