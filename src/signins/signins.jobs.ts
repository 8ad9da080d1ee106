import type { LessonPushedHook } from "../lessons/index.js";
import type { TimerHandler } from "../schedule/index.js";
import type { SigninsService } from "./signins.service.js";

/** The durable timer that closes a session when its time is up (it survives restarts: a Redis sorted set). */
export function signinCloseTimer(signins: SigninsService): TimerHandler {
  return (timer) => signins.onCloseTimer(timer);
}

/** With `signin_with_lesson` > 0 in the group's schedule, each pushed lesson opens a sign-in titled after it. */
export function signinWithLesson(signins: SigninsService): LessonPushedHook {
  return async (group, lesson, push) => {
    await signins.openWithLesson(group, lesson.title, push.messageId);
  };
}
