import type { PollAnswer } from "grammy/types";
import type { FeatureDefinition } from "../shared/feature.js";
import { createPracticeRepository } from "./practice.repository.js";
import { createPracticeService, type PracticeService } from "./practice.service.js";
import { createQuizzesComposer } from "./quizzes.composer.js";
import { createQuizzesRepository, type PollMeta } from "./quizzes.repository.js";
import {
  createQuizzesService,
  QUIZ_CLOSE_TIMER,
  QUIZ_LESSON_JOB,
  QUIZ_LESSON_TIMER,
  type QuizAnswer,
  type QuizzesService,
} from "./quizzes.service.js";

/**
 * Quizzes, contests and practice. For reports: `QuizzesService.questionStats(groupId, weekId)`
 * lists each question asked in a group's ISO week (`YYYY-Www`, the week it was asked in the group's
 * time zone) with how many members answered and how many were right, hardest (lowest share right)
 * first; a member counts once per question even if a lesson's quiz was sent twice.
 */
export { createQuizzesRepository, type QuizzesRepository, type PollMeta } from "./quizzes.repository.js";
export { createPracticeRepository, type PracticeRepository } from "./practice.repository.js";
export {
  createQuizzesService,
  QUIZ_CLOSE_TIMER,
  QUIZ_LESSON_TIMER,
  QUIZ_LESSON_JOB,
  type QuizzesService,
  type QuestionStat,
  type QuizAnswer,
} from "./quizzes.service.js";
export { sendQuizPoll } from "./quiz-poll.js";
export { resolveQuestion, type QuestionRef } from "./quiz-items.js";
export { createPracticeService, type PracticeService } from "./practice.service.js";
export { quizPoints } from "./scoring.js";

declare module "../shared/feature.js" {
  interface FeatureApis {
    quizzes: QuizzesService;
    /** Private practice (/practice): its polls are quiz polls too. */
    practice: PracticeService;
  }
  interface FeatureHooks {
    /** A member answered a quiz poll of a lesson, a contest or practice (spaced review keeps its cards by it). */
    quizAnswered(answer: QuizAnswer): Promise<void>;
  }
}

/** Quiz polls after lessons, contests, private practice. */
export const quizzesFeature: FeatureDefinition = {
  name: "quizzes",
  commands: [
    { command: "quiz", audiences: ["admin"], description: "cmd-quiz", menu: 100 },
    { command: "contest", audiences: ["admin"], description: "cmd-contest", menu: 110 },
    { command: "practice", audiences: ["private"], description: "cmd-practice", menu: 140 },
  ],
  create({ redis, curriculum, api, t, pacer, clock, logger, outbox, timers, hooks }, { activity, groups, lessons }) {
    const repo = createQuizzesRepository(redis);
    const answered = () => hooks("quizAnswered");
    const quizzes = createQuizzesService({ repo, schedule: timers, activity, groups, lessons, curriculum, api, t, pacer, clock, logger, outbox, answered });
    // The record ownsPoll read, for the answer's handler: one read of the poll per answer.
    const claimed = new WeakMap<PollAnswer, PollMeta>();
    const practice = createPracticeService({ repo: createPracticeRepository(redis), polls: repo, curriculum, api, t, pacer, clock, logger });
    return {
      api: { quizzes, practice },
      composer: createQuizzesComposer(quizzes, practice, groups, (answer) => claimed.get(answer)),
      claims: {
        ownsPoll: async (answer) => {
          const meta = await repo.poll(answer.poll_id);
          if (meta) claimed.set(answer, meta);
          return meta !== undefined;
        },
      },
      jobs: { [QUIZ_LESSON_JOB]: (payload, delivery) => quizzes.lessonQuizJob(payload, delivery) },
      timers: { [QUIZ_LESSON_TIMER]: quizzes.lessonTimer, [QUIZ_CLOSE_TIMER]: quizzes.closeTimer },
      hooks: {
        lessonPushed: quizzes.afterPush,
        reportSources: { questionStats: (groupId, weekId) => quizzes.questionStats(groupId, weekId) },
        moveGroup: repo.moveGroup,
      },
    };
  },
};
