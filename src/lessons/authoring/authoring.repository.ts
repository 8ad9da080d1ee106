import { globalKey, userKey } from "../../shared/keys.js";
import type { Redis } from "../../shared/redis.js";
import type { Draft, WrittenLesson } from "./authoring.types.js";

/** A draft left alone this long is forgotten (the author starts again with /newlesson). */
const DRAFT_TTL_S = 7 * 24 * 3600;

const lessonsKey = globalKey("written", "lessons");
const versionKey = globalKey("written", "version");
const draftKey = (userId: number) => userKey(userId, "authoring", "draft");

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
  };
}

export type AuthoringRepository = ReturnType<typeof createAuthoringRepository>;
