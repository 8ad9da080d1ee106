import type { FeatureDefinition } from "../shared/feature.js";
import { createLessonsComposer } from "./lessons.composer.js";
import { lessonJob, lessonSlots, LESSON_JOB } from "./lessons.jobs.js";
import { STUDIED_PREFIX, VIEW_PREFIX } from "./lessons.keyboards.js";
import { createLessonsRepository } from "./lessons.repository.js";
import { createMediaUploadsRepository } from "./media-uploads.repository.js";
import { createLessonsService, type CurriculumFreshHook, type LessonPushedHook, type LessonsService } from "./lessons.service.js";
import { MISSING_KIND } from "./missing-secretaries.js";
import type { LessonOrderHook } from "./track-order.js";

export { createLessonsRepository, type LessonsRepository, type PushRecord } from "./lessons.repository.js";
export { createLessonsService, type LessonsService, type LessonPushedHook, type PushResult } from "./lessons.service.js";
export { lessonSlots, lessonJob, LESSON_JOB } from "./lessons.jobs.js";
export { lessonRef } from "./lesson-ref.js";
export { createMediaSender, type MediaSender, type MediaSendOptions, type SendLessonMedia } from "./lesson-media.js";
export { createMediaUploadsRepository, type MediaUploadsRepository } from "./media-uploads.repository.js";
export { parseTrack } from "./tracks.js";
export type { LessonOrderHook } from "./track-order.js";
export { reachesGroup } from "./track-order.js";
export { ASK_PREFIX, STUDIED_PREFIX } from "./lessons.keyboards.js";

declare module "../shared/feature.js" {
  interface FeatureApis {
    lessons: LessonsService;
  }
  interface FeatureHooks {
    /** After a lesson is pushed to a group (sign-ins open with it, its quiz is timed). */
    lessonPushed: LessonPushedHook;
    /** The order in which a group gets the lessons of a track it has not had yet (the first answer counts). */
    lessonOrder: LessonOrderHook;
    /** Before a push reads the curriculum: lessons written in Telegram elsewhere join it. */
    curriculumFresh: CurriculumFreshHook;
  }
}

/** Pushing lessons on schedule or by /push, "Studied ✓", catching up in private. */
export const lessonsFeature: FeatureDefinition = {
  name: "lessons",
  commands: [
    { command: "push", audiences: ["admin"], description: "cmd-push", menu: 40 },
    { command: "lessons", audiences: ["private"], description: "cmd-lessons", menu: 50 },
  ],
  create(infra, { activity, groups }) {
    const { redis, curriculum, api, t, pacer, clock, logger, outbox, hooks } = infra;
    const repo = createLessonsRepository(redis);
    const mediaUploads = infra.config.mediaCache ? createMediaUploadsRepository(redis) : undefined;
    const lessons = createLessonsService({ repo, activity, groups, curriculum, api, t, pacer, clock, logger, onPushed: hooks("lessonPushed"), orderHooks: () => hooks("lessonOrder"), freshHooks: () => hooks("curriculumFresh"), mediaUploads });
    return {
      api: { lessons },
      composer: createLessonsComposer(lessons, groups),
      // The "Ask about this" button (ASK_PREFIX) is under the lesson, but the questions feature answers it.
      claims: { callbacks: [STUDIED_PREFIX, VIEW_PREFIX], tolledCallbacks: [STUDIED_PREFIX], startPayloads: [MISSING_KIND, "lessons"] },
      jobs: { [LESSON_JOB]: lessonJob(lessons, groups) },
      slots: [lessonSlots(outbox)],
    };
  },
};
