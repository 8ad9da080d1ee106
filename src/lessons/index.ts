export { createLessonsRepository, type LessonsRepository, type PushRecord } from "./lessons.repository.js";
export { createLessonsService, type LessonsService, type LessonPushedHook, type PushResult } from "./lessons.service.js";
export { createLessonsComposer } from "./lessons.composer.js";
export { lessonSlots, lessonJob, LESSON_JOB } from "./lessons.jobs.js";
export { lessonRef } from "./lesson-ref.js";
export { parseTrack } from "./tracks.js";
export { ASK_PREFIX, STUDIED_PREFIX } from "./lessons.keyboards.js";
