import type { User } from "grammy/types";
import type { Curriculum, Survey } from "../content/types.js";
import { escapeHtml } from "../content/index.js";
import type { GroupInfo, GroupsService } from "../groups/index.js";
import { weekIdAt } from "../shared/week.js";
import type { PollRef, RunRecord, SurveysRepository } from "./surveys.repository.js";
import { tallyQuestion, type QuestionTally } from "./tally.js";
import type { Runtime } from "../shared/runtime.js";

/** One posting of a survey in a group, with its current results. */
export interface SurveyRunResult {
  name: string;
  title: string;
  startedAt: number;
  weekId: string;
  questions: QuestionTally[];
}

export type StartResult =
  | { kind: "unknown"; names: string[] }
  | { kind: "posted"; survey: Survey; polls: number }
  | { kind: "partial"; survey: Survey; polls: number };

export type AnswerResult = "unknown" | "not-member" | "recorded" | "outdated";

export interface SurveysDeps extends Runtime {
  repo: SurveysRepository;
  groups: GroupsService;
  curriculum: Curriculum;
}

export function createSurveysService(deps: SurveysDeps) {
  const { repo, curriculum, api, t, pacer, clock } = deps;
  const log = deps.logger.child({ feature: "surveys" });

  async function results(groupId: number, run: RunRecord): Promise<SurveyRunResult> {
    const questions = await Promise.all(
      run.questions.map(async (q, i) => tallyQuestion(q.question, q.options, (await repo.votes(groupId, run.id, i)).values())),
    );
    return { name: run.name, title: run.title, startedAt: run.startedAt, weekId: run.weekId, questions };
  }

  return {
    /** The ready-made surveys in CONTENT_DIR/surveys, by name. */
    available: (): Survey[] => [...curriculum.surveys.values()].sort((a, b) => a.name.localeCompare(b.name)),

    /** Posts a survey: a title message, then one non-anonymous regular poll per question. */
    async start(group: GroupInfo, name: string, threadId?: number): Promise<StartResult> {
      const survey = curriculum.surveys.get(name.toLowerCase()) ?? curriculum.surveys.get(name);
      if (!survey) return { kind: "unknown", names: [...curriculum.surveys.keys()].sort() };
      const at = clock.now();
      const run = await repo.createRun(group.id, {
        name: survey.name,
        title: survey.title,
        startedAt: at,
        weekId: weekIdAt(at, group.timeZone),
        questions: survey.questions.map((q) => ({ question: q.question, options: q.options })),
      });
      const intro = t(group.locale, "surveys-intro", { title: escapeHtml(survey.title), count: survey.questions.length });
      let posted = 0;
      try {
        await pacer(() => api.sendMessage(group.id, intro, { parse_mode: "HTML", message_thread_id: threadId }));
        for (const [i, q] of survey.questions.entries()) {
          const msg = await pacer(() =>
            api.sendPoll(group.id, q.question, q.options, {
              type: "regular",
              is_anonymous: false,
              allows_multiple_answers: q.allows_multiple_answers,
              message_thread_id: threadId,
            }),
          );
          await repo.mapPoll(msg.poll.id, { groupId: group.id, runId: run.id, question: i });
          posted++;
        }
      } catch (err) {
        log.error({ err, group: group.id, survey: survey.name, posted }, "survey only partly posted");
        return { kind: "partial", survey, polls: posted };
      }
      log.info({ group: group.id, survey: survey.name, run: run.id }, "survey posted");
      return { kind: "posted", survey, polls: posted };
    },

    /** A member answered (or changed, or retracted) a poll; "unknown" when it is not a survey poll, "not-member" for a stranger. */
    async recordAnswer(pollId: string, user: User, optionIds: number[], updateId: number, known?: PollRef): Promise<AnswerResult> {
      const ref = known ?? (await repo.pollRef(pollId));
      if (!ref) return "unknown";
      // Answering is taking part, for members only: a forwarded copy of the poll reaches strangers.
      if (!(await deps.groups.confirmMember(ref.groupId, user))) {
        log.info({ group: ref.groupId, poll: pollId, user: user.id }, "survey vote from a non-member ignored");
        return "not-member";
      }
      const stored = await repo.vote(ref, user.id, updateId, optionIds);
      return stored ? "recorded" : "outdated";
    },

    /**
     * For reports: every survey run in the group (or only those started in ISO week `weekId`, in the
     * group's time zone), oldest first, each with per-question option votes and voter counts.
     */
    async surveyResults(groupId: number, weekId?: string): Promise<SurveyRunResult[]> {
      const runs = (await repo.runs(groupId)).filter((r) => !weekId || r.weekId === weekId);
      return Promise.all(runs.map((run) => results(groupId, run)));
    },

    /** The latest run (of `name`, if given) with its results, for /survey results. */
    async latestResults(groupId: number, name?: string): Promise<SurveyRunResult | undefined> {
      const runs = (await repo.runs(groupId)).filter((r) => !name || r.name === name);
      const last = runs.at(-1);
      return last ? results(groupId, last) : undefined;
    },
  };
}

export type SurveysService = ReturnType<typeof createSurveysService>;
