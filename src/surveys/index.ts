/**
 * Surveys: ready-made polls from CONTENT_DIR/surveys (training needs before, satisfaction after).
 *
 * For reports: `services.surveys.surveyResults(groupId, weekId?)` returns every run of a survey in the
 * group (only runs started in ISO week `weekId` in the group's time zone, when given), oldest first:
 * `{ name, title, startedAt, weekId, questions: [{ question, options: [{ text, votes }], voters }] }`.
 * `voters` counts members with a current vote; a changed vote counts once, a retracted one not at all.
 */
export { createSurveysRepository, type SurveysRepository } from "./surveys.repository.js";
export { createSurveysService, type SurveysService, type SurveyRunResult } from "./surveys.service.js";
export { createSurveysComposer } from "./surveys.composer.js";
export { tallyQuestion, type QuestionTally, type OptionTally } from "./tally.js";
