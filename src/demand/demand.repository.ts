import type { Redis } from "../shared/redis.js";
import { groupKey } from "../shared/keys.js";

/** A group's needs, as its last closed needs survey said. */
export interface GroupNeeds {
  survey: string;
  runId: number;
  closedAt: number;
  /** Members who answered at least one question that names topics. */
  voters: number;
  votes: Record<string, number>;
}

/** What a group's organisers chose, besides the votes. */
export interface DemandChoices {
  /** The most recently pinned first. */
  pins: string[];
  skips: string[];
  reorder: boolean;
}

/** The group's needs and its organisers' choices, all under the group's hash tag. */
export function createDemandRepository(redis: Redis) {
  const settings = (g: number) => groupKey(g, "demand", "settings");
  const pins = (g: number) => groupKey(g, "demand", "pins");
  const skips = (g: number) => groupKey(g, "demand", "skips");

  return {
    async saveNeeds(groupId: number, needs: GroupNeeds): Promise<void> {
      await redis.hset(settings(groupId), "needs", JSON.stringify(needs));
    },

    async needs(groupId: number): Promise<GroupNeeds | undefined> {
      const raw = await redis.hget(settings(groupId), "needs");
      return raw ? (JSON.parse(raw) as GroupNeeds) : undefined;
    },

    async choices(groupId: number): Promise<DemandChoices> {
      const [pinned, skipped, off] = await Promise.all([
        redis.zrevrange(pins(groupId), 0, -1),
        redis.smembers(skips(groupId)),
        redis.hget(settings(groupId), "off"),
      ]);
      return { pins: pinned, skips: skipped.sort(), reorder: off !== "1" };
    },

    /** Pins a lesson next (a skip of it is undone). */
    async pin(groupId: number, lessonId: string, at: number): Promise<void> {
      await redis.multi().zadd(pins(groupId), at, lessonId).srem(skips(groupId), lessonId).exec();
    },

    /** Skips a lesson (a pin of it is undone). */
    async skip(groupId: number, lessonId: string): Promise<void> {
      await redis.multi().sadd(skips(groupId), lessonId).zrem(pins(groupId), lessonId).exec();
    },

    /** Undoes a pin or a skip; false when the lesson had neither. */
    async restore(groupId: number, lessonId: string): Promise<boolean> {
      const replies = await redis.multi().zrem(pins(groupId), lessonId).srem(skips(groupId), lessonId).exec();
      return (replies ?? []).some(([, n]) => Number(n) > 0);
    },

    async setReorder(groupId: number, on: boolean): Promise<void> {
      if (on) await redis.hdel(settings(groupId), "off");
      else await redis.hset(settings(groupId), "off", "1");
    },
  };
}

export type DemandRepository = ReturnType<typeof createDemandRepository>;
