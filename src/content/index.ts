import type { LoadOptions } from "./load-curriculum.js";
import type { Curriculum } from "./types.js";
export type { LoadOptions } from "./load-curriculum.js";
export { cachedCurriculum, defaultCacheDir, type ContentCache } from "./content-cache.js";
export { escapeHtml } from "./escape-html.js";
export { entitiesToTelegramHtml } from "./entities-html.js";
export { isSelfHostedApi, MEDIA_LIMITS } from "./media-file.js";
export { DEFAULT_SCHEDULE } from "./default-schedule.js";
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

/** Reads and checks CONTENT_DIR; throws ContentError listing every problem found. The parsers (YAML, the content
 * schemas) load on the first call, so a start that finds its content cached never compiles them. */
export async function loadCurriculum(dir: string, options?: LoadOptions): Promise<Curriculum> {
  return (await import("./load-curriculum.js")).loadCurriculum(dir, options);
}
