import type { GroupsService } from "../groups/index.js";
import type { Outbox, OutboxHandler } from "../outbox/index.js";
import type { SlotSource } from "../schedule/index.js";
import { parseTrack } from "./tracks.js";
import type { LessonsService } from "./lessons.service.js";

/** The outbox job kind of a scheduled lesson push. */
export const LESSON_JOB = "lesson";

/**
 * Each group's lesson slots from its own schedule. The slot claim decides once per group and slot;
 * the push itself is an outbox job whose id is that same group and slot, so it survives a crash.
 */
export function lessonSlots(outbox: Pick<Outbox, "enqueue">): SlotSource {
  return (group) =>
    group.schedule.lessons
      .filter((entry) => !group.tracksOff.includes(entry.track))
      .map((entry, i) => {
        const key = `lesson:${entry.track}:${i}`;
        return {
          key,
          cron: entry.cron,
          run: (_group, slotAt) => outbox.enqueue(LESSON_JOB, `${group.id}-${key}-${slotAt}`, { groupId: group.id, track: entry.track }),
        };
      });
}

/** Runs a scheduled push from the outbox: the group as it is now, the lesson claimed once per job. */
export function lessonJob(lessons: LessonsService, groups: GroupsService): OutboxHandler {
  return async (payload, delivery, log) => {
    const group = await groups.get(Number(payload.groupId));
    const track = parseTrack(String(payload.track));
    if (!group?.active || !track) return;
    const result = await lessons.pushNext(group, track, delivery);
    if (result.kind !== "pushed") log.info({ group: group.id, track, result: result.kind }, "scheduled push: nothing sent");
  };
}
