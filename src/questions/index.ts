import type { FeatureDefinition } from "../shared/feature.js";
import { ASK_PREFIX } from "../lessons/index.js";
import { createAnswersService, ANSWER_JOB, type AnswersService } from "./answers.service.js";
import { createExpertsComposer } from "./experts.composer.js";
import { createQuestionsComposer } from "./questions.composer.js";
import { questionReminderHandler, REMINDER_TIMER } from "./questions.jobs.js";
import { MAKE_LESSON_PREFIX, PUBLIC_PREFIX, RATE_PREFIX, TRACK_PREFIX } from "./questions.keyboards.js";
import { createQuestionsRepository } from "./questions.repository.js";
import { createQuestionsService, type QuestionsService } from "./questions.service.js";
import type { WeekSummary } from "./questions.types.js";

export { createQuestionsRepository, type QuestionsRepository } from "./questions.repository.js";
export { createQuestionsService, type QuestionsService, type AskInput, type AskResult } from "./questions.service.js";
export { createAnswersService, ANSWER_JOB, type AnswersService, type RelayResult } from "./answers.service.js";
export { questionReminderHandler, REMINDER_TIMER } from "./questions.jobs.js";
export type { Question, QuestionState, WeekSummary, QuestionTrack } from "./questions.types.js";

export interface QuestionsApi {
  questions: QuestionsService;
  answers: AnswersService;
  /**
   * A group's questions in one ISO week (`2025-W07`, in the group's time zone), for reports:
   * `asked` (questions asked that week), `answered` (of those, how many got at least one answer),
   * `medianFirstAnswerMs` (median time to the first answer, null when none), and the askers'
   * ratings of the answers to those questions (`helpful`, `notHelpful`; a changed rating counts once, as its last value).
   */
  weekSummary(groupId: number, weekId: string): Promise<WeekSummary>;
}

declare module "../shared/feature.js" {
  interface FeatureApis {
    questions: QuestionsApi;
  }
}

/** Questions to the experts: /ask, cards in the experts' chat, answers relayed back, ratings, /open, /faq. */
export const questionsFeature: FeatureDefinition = {
  name: "questions",
  commands: [
    { command: "ask", audiences: ["member", "admin", "private"], description: "cmd-ask", menu: 150 },
    { command: "faq", audiences: ["member", "admin", "private"], description: "cmd-faq", menu: 160 },
    // The experts' chat only; its own /help lists it.
    { command: "open", audiences: [], description: "cmd-open", menu: 170 },
  ],
  create(infra, { activity, groups, lessons, authoring }) {
    const { config, redis, outbox, curriculum, timers, api, t, clock, pacer, logger } = infra;
    const repo = createQuestionsRepository(redis);
    const deps = {
      repo,
      activity,
      groups,
      curriculum,
      lessonByRef: lessons.lessonByRef,
      timers,
      api,
      t,
      clock,
      pacer,
      logger,
      expertsChatId: config.expertsChatId,
      expertsLocale: config.defaultLocale,
      defaultTimeZone: config.defaultTimezone,
    };
    const questions = createQuestionsService(deps);
    const answers = createAnswersService({ ...deps, outbox, canProposeLessons: config.organizerIds.length > 0, proposeLesson: (input) => authoring.propose(input) });
    const weekSummary = (groupId: number, weekId: string) => answers.weekSummary(groupId, weekId);
    return {
      api: { questions: { questions, answers, weekSummary } },
      composer: createQuestionsComposer(questions, answers, groups),
      claims: {
        // The experts' chat is not a study group: nothing else sees its updates, so none registers it as one.
        updates: [{ owns: (ctx) => questions.isExpertsChat(ctx.chat?.id), composer: createExpertsComposer(questions, answers) }],
        callbacks: [ASK_PREFIX, TRACK_PREFIX, RATE_PREFIX, PUBLIC_PREFIX, MAKE_LESSON_PREFIX],
      },
      jobs: { [ANSWER_JOB]: (payload, delivery) => answers.relayJob(payload, delivery) },
      timers: { [REMINDER_TIMER]: questionReminderHandler(questions) },
      hooks: { reportSources: { weekSummary }, moveGroup: repo.moveGroup },
      stop: () => answers.stop(),
    };
  },
};
