import { createAnswersService, type AnswersService } from "./answers.service.js";
import { createQuestionsRepository } from "./questions.repository.js";
import { createQuestionsService, type QuestionsDeps, type QuestionsService } from "./questions.service.js";
import type { WeekSummary } from "./questions.types.js";
import type { Redis } from "../shared/redis.js";
import type { Outbox } from "../outbox/index.js";

export interface QuestionsFeature {
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

/** Builds the questions feature (asking and answering) over one Redis. */
export function createQuestionsFeature(deps: Omit<QuestionsDeps, "repo"> & { redis: Redis; outbox: Pick<Outbox, "enqueue"> }): QuestionsFeature {
  const { redis, outbox, ...rest } = deps;
  const repo = createQuestionsRepository(redis);
  const questions = createQuestionsService({ ...rest, repo });
  const answers = createAnswersService({ ...rest, repo, outbox });
  return { questions, answers, weekSummary: (groupId, weekId) => answers.weekSummary(groupId, weekId) };
}
