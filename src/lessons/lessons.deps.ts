import type { ActivityRepository } from "../activity/index.js";
import type { Curriculum, Lesson } from "../content/types.js";
import type { GroupInfo, GroupsService } from "../groups/index.js";
import type { Runtime } from "../shared/runtime.js";
import type { LessonsRepository, PushRecord } from "./lessons.repository.js";
import type { MediaUploadsRepository } from "./media-uploads.repository.js";
import type { LessonOrderHook } from "./track-order.js";

/** Called after a lesson reached a group (sign-ins and quizzes hang off it). */
export type LessonPushedHook = (group: GroupInfo, lesson: Lesson, push: PushRecord) => Promise<void>;

/** Brings the shared curriculum up to date (lessons written in Telegram on another instance) before a push reads it. */
export type CurriculumFreshHook = () => Promise<void>;

export interface LessonsDeps extends Runtime {
  repo: LessonsRepository;
  activity: ActivityRepository;
  groups: GroupsService;
  curriculum: Curriculum;
  onPushed: readonly LessonPushedHook[];
  /** Telegram's file ids of lesson media, shared by every instance; without it every send uploads (MEDIA_CACHE=off). */
  mediaUploads?: MediaUploadsRepository;
  /** The features that order a group's track (read when pushing: they are built after lessons). */
  orderHooks?: () => readonly LessonOrderHook[];
  /** Read when pushing, like `orderHooks`. */
  freshHooks?: () => readonly CurriculumFreshHook[];
}
