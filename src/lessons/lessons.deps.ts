import type { Api } from "grammy";
import type { ActivityRepository } from "../activity/index.js";
import type { Curriculum, Lesson } from "../content/types.js";
import type { GroupInfo, GroupsService } from "../groups/index.js";
import type { Clock } from "../shared/clock.js";
import type { Translate } from "../shared/i18n.js";
import type { Logger } from "../shared/logger.js";
import type { Pacer } from "../shared/pacer.js";
import type { LessonsRepository, PushRecord } from "./lessons.repository.js";

/** Called after a lesson reached a group (sign-ins and quizzes hang off it). */
export type LessonPushedHook = (group: GroupInfo, lesson: Lesson, push: PushRecord) => Promise<void>;

export interface LessonsDeps {
  repo: LessonsRepository;
  activity: ActivityRepository;
  groups: GroupsService;
  curriculum: Curriculum;
  api: Api;
  t: Translate;
  pacer: Pacer;
  clock: Clock;
  logger: Logger;
  onPushed: readonly LessonPushedHook[];
}
