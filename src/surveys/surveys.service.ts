import type { User } from "grammy/types";
import type { Curriculum, Survey } from "../content/types.js";
import type { GroupInfo, GroupsService } from "../groups/index.js";
import { weekIdAt } from "../shared/week.js";
import type { PollRef, RunRecord, SurveysRepository } from "./surveys.repository.js";
import { tallyQuestion, type QuestionTally } from "./tally.js";
import type { Runtime } from "../shared/runtime.js";
import type { ScheduleRepository, TimerEntry } from "../schedule/index.js";
import { escapeHtml, splitTelegramHtml } from "../content/index.js";
import { resultsText } from "./surveys.texts.js";

/** One posting of a survey in a group, with its current results. */
export interface SurveyRunResult {
  runId: number;
  name: string;
  title: string;
  startedAt: number;
  weekId: string;
  /** When an organiser closed it (its polls stopped); absent while it is open. */
  closedAt?: number;
  /** `topics`: what each option stands for, when the survey's content says so. */
  questions: (QuestionTally & { topics?: string[][] })[];
}

/** Called once after a survey run in a group closed, with its final results (needs surveys reorder lessons). */
export type SurveyClosedHook = (group: GroupInfo, result: SurveyRunResult) => Promise<void>;

export type CloseResult = { kind: "none" } | { kind: "closed"; result: SurveyRunResult };

export type StartResult =
  | { kind: "unknown"; names: string[] }
  | { kind: "posted"; survey: Survey; polls: number; closesAt?: number }
  | { kind: "partial"; survey: Survey; polls: number; closesAt?: number };

/** The durable timer that closes a survey run at the deadline `/survey <name> <deadline>` gave. */
export const SURVEY_CLOSE_TIMER = "survey-close";

export type AnswerResult = "unknown" | "not-member" | "recorded" | "outdated";

export interface SurveysDeps extends Runtime {
  repo: SurveysRepository;
  groups: GroupsService;
  curriculum: Curriculum;
  /** The features to tell after a run closed (read when closing: they are built after this one). */
  onClosed?: () => readonly SurveyClosedHook[];
  timers: Pick<ScheduleRepository, "setTimer">;
}

export function createSurveysService(deps: SurveysDeps) {
  const { repo, curriculum, api, t, pacer, clock } = deps;
  const log = deps.logger.child({ feature: "surveys" });

  async function results(groupId: number, run: RunRecord): Promise<SurveyRunResult> {
    const [questions, closedAt] = await Promise.all([
      Promise.all(
        run.questions.map(async (q, i) => {
          const tally = tallyQuestion(q.question, q.options, (await repo.votes(groupId, run.id, i)).values());
          return q.topics ? { ...tally, topics: q.topics } : tally;
        }),
      ),
      repo.closedAt(groupId, run.id),
    ]);
    const result: SurveyRunResult = { runId: run.id, name: run.name, title: run.title, startedAt: run.startedAt, weekId: run.weekId, questions };
    if (closedAt !== undefined) result.closedAt = closedAt;
    return result;
  }

  /** Closes a run once: stops its polls, keeps the votes, tells the hooks. Undefined when it was closed already. */
  async function closeRun(group: GroupInfo, run: RunRecord): Promise<SurveyRunResult | undefined> {
    if (!(await repo.close(group.id, run.id, clock.now()))) return undefined;
    for (const messageId of await repo.messages(group.id, run.id)) {
      // A poll already stopped or deleted by hand is no reason to keep the survey open.
      await pacer(() => api.stopPoll(group.id, messageId)).catch((err: unknown) => log.warn({ err, group: group.id, message: messageId }, "could not stop a survey poll"));
    }
    const result = await results(group.id, run);
    log.info({ group: group.id, survey: run.name, run: run.id }, "survey closed");
    for (const hook of deps.onClosed?.() ?? []) {
      await hook(group, result).catch((err: unknown) => log.error({ err, group: group.id }, "after-close hook failed"));
    }
    return result;
  }

  return {
    /** The ready-made surveys in CONTENT_DIR/surveys, by name. */
    available: (): Survey[] => [...curriculum.surveys.values()].sort((a, b) => a.name.localeCompare(b.name)),

    /** Posts a survey: a title message, then one non-anonymous regular poll per question; closed by itself after `closesInMs` when given. */
    async start(group: GroupInfo, name: string, threadId?: number, closesInMs?: number): Promise<StartResult> {
      const survey = curriculum.surveys.get(name.toLowerCase()) ?? curriculum.surveys.get(name);
      if (!survey) return { kind: "unknown", names: [...curriculum.surveys.keys()].sort() };
      const at = clock.now();
      const run = await repo.createRun(group.id, {
        name: survey.name,
        title: survey.title,
        startedAt: at,
        weekId: weekIdAt(at, group.timeZone),
        questions: survey.questions.map((q) => ({ question: q.question, options: q.options, ...(q.topics ? { topics: q.topics } : {}) })),
      });
      // Set before anything is posted: a run that exists always closes by its deadline, even after a crash.
      const closesAt = closesInMs === undefined ? undefined : at + closesInMs;
      if (closesAt !== undefined) {
        await deps.timers.setTimer({
          id: `${SURVEY_CLOSE_TIMER}:${group.id}:${run.id}`,
          kind: SURVEY_CLOSE_TIMER,
          at: closesAt,
          payload: { groupId: group.id, runId: run.id, ...(threadId === undefined ? {} : { threadId }) },
        });
      }
      const deadline = closesAt === undefined ? {} : { closesAt };
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
          await repo.addMessage(group.id, run.id, msg.message_id);
          posted++;
        }
      } catch (err) {
        log.error({ err, group: group.id, survey: survey.name, posted }, "survey only partly posted");
        return { kind: "partial", survey, polls: posted, ...deadline };
      }
      log.info({ group: group.id, survey: survey.name, run: run.id, closesAt }, "survey posted");
      return { kind: "posted", survey, polls: posted, ...deadline };
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

    /**
     * Closes the latest open run (of `name`, if given): stops its polls, keeps the votes as they are, and
     * tells the features that act on a closed survey (once, even if two organisers close it at once).
     */
    async close(group: GroupInfo, name?: string): Promise<CloseResult> {
      const runs = (await repo.runs(group.id)).filter((r) => !name || r.name === name);
      let open: RunRecord | undefined;
      for (const run of runs.reverse()) {
        if ((await repo.closedAt(group.id, run.id)) === undefined) {
          open = run;
          break;
        }
      }
      const result = open && (await closeRun(group, open));
      return result ? { kind: "closed", result } : { kind: "none" };
    },

    /** The deadline's timer: the run closes (if an organiser has not closed it first) and its results go to the group. */
    async closeTimer(timer: TimerEntry): Promise<void> {
      const { groupId, runId, threadId } = timer.payload as { groupId: number; runId: number; threadId?: number };
      const group = await deps.groups.get(groupId);
      const run = (await repo.runs(group?.id ?? groupId)).find((r) => r.id === runId);
      if (!group || !run) return; // the group or the run is gone
      const result = await closeRun(group, run);
      if (!result) return;
      const say = (key: string, vars?: Record<string, string | number>) => t(group.locale, key, vars);
      const text = `${say("surveys-closed-by-deadline", { title: escapeHtml(result.title) })}\n\n${resultsText(say, result)}`;
      for (const part of splitTelegramHtml(text)) await pacer(() => api.sendMessage(group.id, part, { parse_mode: "HTML", message_thread_id: threadId }));
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
