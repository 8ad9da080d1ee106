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
} from "./quizzes.service.js";
export { createPracticeService, type PracticeService } from "./practice.service.js";
export { createQuizzesComposer } from "./quizzes.composer.js";
export { quizPoints } from "./scoring.js";
