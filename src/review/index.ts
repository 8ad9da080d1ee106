import type { FeatureDefinition } from "../shared/feature.js";
import { REMIND_JOB, REMIND_TIMER, createReminders, type Reminders } from "./review.jobs.js";
import { createReviewComposer } from "./review.composer.js";
import { REVIEW_PREFIX } from "./review.keyboards.js";
import { createReviewRepository } from "./review.repository.js";
import { createReviewService, type ReviewService } from "./review.service.js";

export { createReviewRepository, type ReviewRepository } from "./review.repository.js";
export { createReviewService, REVIEW_BATCH, type ReviewService, type ForgottenQuestion } from "./review.service.js";
export { createReminders, REMIND_JOB, REMIND_TIMER, type Reminders } from "./review.jobs.js";
export { encodeCard, decodeCard, type MemoryCard } from "./memory-card.js";

declare module "../shared/feature.js" {
  interface FeatureApis {
    /** Spaced review: each member's memory card per quiz question (FSRS), /review and its daily reminder. */
    review: ReviewService;
    reminders: Reminders;
  }
}

/**
 * Spaced review of quiz questions. Every quiz answer (the quizzes' `quizAnswered` hook) grades the member's card;
 * `/review` sends what is due today; `/review on HH:MM` a daily reminder through the outbox when something is due.
 * Its figures reach `/me` (`memberLines`) and `/stats` (`reportSources.forgotten`) through those features' hooks.
 */
export const reviewFeature: FeatureDefinition = {
  name: "review",
  commands: [{ command: "review", audiences: ["private"], description: "cmd-review", menu: 145 }],
  create({ config, redis, curriculum, api, t, pacer, clock, logger, outbox, timers }, { activity, groups }) {
    const repo = createReviewRepository(redis);
    const review = createReviewService({ repo, groups, activity, curriculum, api, t, pacer, clock, logger, defaultTimeZone: config.defaultTimezone });
    const reminders = createReminders({
      repo,
      review,
      groups,
      timers,
      outbox,
      api,
      t,
      pacer,
      clock,
      logger,
      defaultTimeZone: config.defaultTimezone,
      defaultLocale: config.defaultLocale,
    });
    return {
      api: { review, reminders },
      composer: createReviewComposer(review, reminders),
      claims: { ownsPoll: (answer) => review.ownsPoll(answer.poll_id), callbacks: [REVIEW_PREFIX] },
      jobs: { [REMIND_JOB]: (payload, delivery) => reminders.job(payload, delivery) },
      timers: { [REMIND_TIMER]: reminders.batch },
      hooks: {
        quizAnswered: review.quizAnswered,
        timeZoneChanged: reminders.groupZoneChanged,
        reportSources: { forgotten: (groupId, weekId) => review.forgotten(groupId, weekId) },
        memberLines: async (userId, tr) => {
          const { due, streak } = await review.status(userId);
          return [tr("review-me", { due, streak })];
        },
      },
    };
  },
};
