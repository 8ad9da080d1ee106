export { createQuestionsFeature, type QuestionsFeature } from "./questions.feature.js";
export { createQuestionsRepository, type QuestionsRepository } from "./questions.repository.js";
export { createQuestionsService, type QuestionsService, type AskInput, type AskResult } from "./questions.service.js";
export { createAnswersService, ANSWER_JOB, type AnswersService, type RelayResult } from "./answers.service.js";
export { createQuestionsComposer } from "./questions.composer.js";
export { createExpertsComposer } from "./experts.composer.js";
export { questionReminderHandler, REMINDER_TIMER } from "./questions.jobs.js";
export type { Question, QuestionState, WeekSummary, QuestionTrack } from "./questions.types.js";
