import type { SlotSource } from "../schedule/index.js";
import type { Logger } from "../shared/logger.js";
import type { LessonsService } from "./lessons.service.js";

/** Each group's lesson slots from its own schedule, for the scheduler to fire. */
export function lessonSlots(lessons: LessonsService, logger: Logger): SlotSource {
  return (group) =>
    group.schedule.lessons
      .filter((entry) => !group.tracksOff.includes(entry.track))
      .map((entry, i) => ({
        key: `lesson:${entry.track}:${i}`,
        cron: entry.cron,
        run: async () => {
          const result = await lessons.pushNext(group, entry.track);
          if (result.kind !== "pushed") logger.info({ group: group.id, track: entry.track, result: result.kind }, "scheduled push: nothing sent");
        },
      }));
}
