import type { PollAnswer } from "grammy/types";
import type { FeatureDefinition } from "../shared/feature.js";
import { createSurveysComposer } from "./surveys.composer.js";
import { createSurveysRepository, type PollRef } from "./surveys.repository.js";
import { createSurveysService, SURVEY_CLOSE_TIMER, type SurveyClosedHook, type SurveysService } from "./surveys.service.js";

/**
 * Surveys: ready-made polls from CONTENT_DIR/surveys (training needs before, satisfaction after).
 *
 * For reports: `services.surveys.surveyResults(groupId, weekId?)` returns every run of a survey in the
 * group (only runs started in ISO week `weekId` in the group's time zone, when given), oldest first:
 * `{ runId, name, title, startedAt, weekId, closedAt?, questions: [{ question, options: [{ text, votes }], voters, topics? }] }`.
 * `voters` counts members with a current vote; a changed vote counts once, a retracted one not at all.
 */
export { createSurveysRepository, type SurveysRepository } from "./surveys.repository.js";
export { createSurveysService, type SurveysService, type SurveyRunResult, type SurveyClosedHook } from "./surveys.service.js";
export { tallyQuestion, type QuestionTally, type OptionTally } from "./tally.js";

declare module "../shared/feature.js" {
  interface FeatureApis {
    surveys: SurveysService;
  }
  interface FeatureHooks {
    /** After an organiser closed a survey run in a group (`/survey close`), with its final results. */
    surveyClosed: SurveyClosedHook;
  }
}

/** /survey [name [deadline]|results|close [name]] for administrators (a deadline closes it by itself), and the votes on survey polls. */
export const surveysFeature: FeatureDefinition = {
  name: "surveys",
  commands: [{ command: "survey", audiences: ["admin"], description: "cmd-survey", menu: 210 }],
  create({ redis, curriculum, api, t, pacer, clock, logger, hooks, timers }, { groups }) {
    const repo = createSurveysRepository(redis);
    // The record ownsPoll read, for the vote's handler: one read of the poll per vote.
    const claimed = new WeakMap<PollAnswer, PollRef>();
    const surveys = createSurveysService({ repo, groups, curriculum, api, t, pacer, clock, logger, onClosed: () => hooks("surveyClosed"), timers });
    return {
      api: { surveys },
      composer: createSurveysComposer(surveys, groups, (answer) => claimed.get(answer)),
      claims: {
        ownsPoll: async (answer) => {
          const ref = await repo.pollRef(answer.poll_id);
          if (ref) claimed.set(answer, ref);
          return ref !== undefined;
        },
      },
      timers: { [SURVEY_CLOSE_TIMER]: surveys.closeTimer },
      hooks: { moveGroup: repo.moveGroup },
    };
  },
};
