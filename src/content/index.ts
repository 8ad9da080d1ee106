export { escapeHtml } from "./escape-html.js";
export { renderLessonHtml, markdownToTelegramHtml } from "./lesson-html.js";
export { loadCurriculum, type LoadOptions } from "./load-curriculum.js";
export { isSelfHostedApi, MEDIA_LIMITS } from "./media-file.js";
export { DEFAULT_SCHEDULE } from "./schedule.schema.js";
export { splitTelegramHtml, visibleLength } from "./split-html.js";
export { AUDIENCES, ContentError, formatProblem, TRACKS } from "./types.js";
export type {
  Audience,
  BankItem,
  ContentProblem,
  Curriculum,
  Lesson,
  LessonMedia,
  MediaKind,
  QuizBank,
  QuizItem,
  Schedule,
  ScheduleEntry,
  Survey,
  SurveyQuestion,
  Track,
} from "./types.js";
