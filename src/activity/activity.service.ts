import { dayIdAt, weekIdAt } from "../shared/week.js";
import type { ActivityEvent, ActivityRepository } from "./activity.repository.js";
import type { Increments } from "./counters.js";

export interface RecordInput {
  groupId: number;
  timeZone: string;
  userId: number;
  at: number;
  ref: string;
  increments: Increments;
  once?: { key: string; member: string };
}

/** The ledger's event for `input`: its week and day in the group's own time zone. */
export function ledgerEvent(input: RecordInput): ActivityEvent {
  return {
    groupId: input.groupId,
    userId: input.userId,
    at: input.at,
    weekId: weekIdAt(input.at, input.timeZone),
    dayId: dayIdAt(input.at, input.timeZone),
    ref: input.ref,
    increments: input.increments,
    once: input.once,
  };
}

/** Records a participation event in the group's week (its own time zone). False if already recorded. */
export function recordActivity(repo: ActivityRepository, input: RecordInput): Promise<boolean> {
  return repo.record(ledgerEvent(input));
}
