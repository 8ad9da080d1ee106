import type { User } from "grammy/types";
import type { Curriculum, Lesson, QuizItem, Track } from "../content/types.js";
import { ledgerEvent, recordActivity, type ActivityRepository, type Increments } from "../activity/index.js";
import type { GroupInfo, GroupsService } from "../groups/index.js";
import type { LessonsService, PushRecord } from "../lessons/index.js";
import type { ScheduleRepository, TimerEntry } from "../schedule/index.js";
import { unpaced } from "../shared/pacer.js";
import { directDelivery, type Delivery, type Outbox } from "../outbox/index.js";
import { weekIdAt } from "../shared/week.js";
import {
  bankQuestionRef,
  lessonQuestionRef,
  isPossibleAnswer,
  resolveQuestion,
  shuffle,
  type QuestionRef,
} from "./quiz-items.js";
import { sendQuizPoll } from "./quiz-poll.js";
import type { PollMeta, QuizzesRepository, RunInfo } from "./quizzes.repository.js";
import { formatPodium, formatQuizResults, type RankedMember } from "./quizzes.texts.js";
import {
  CLOSE_GRACE_MS,
  CONTEST_DEFAULT_QUESTIONS,
  CONTEST_OPEN_SECONDS,
  LESSON_OPEN_SECONDS,
  quizPoints,
} from "./scoring.js";
import type { Runtime } from "../shared/runtime.js";

export const QUIZ_LESSON_TIMER = "quiz-lesson";
export const QUIZ_CLOSE_TIMER = "quiz-close";
/** The outbox job kind of a lesson's quiz sent by its timer. */
export const QUIZ_LESSON_JOB = "quiz-lesson";

export type QuizNowResult =
  | { kind: "sent"; lesson: Lesson; count: number }
  | { kind: "no-lesson" }
  | { kind: "no-quiz"; lesson: Lesson };
export type ContestResult =
  | { kind: "started"; bank: string; count: number }
  | { kind: "unknown-bank"; available: string[] }
  | { kind: "bad-count" }
  | { kind: "busy" };

export interface QuestionStat {
  ref: QuestionRef;
  /** The question text, when the content still has it. */
  question: string;
  /** `lesson:<id>` or `bank:<name>`. */
  source: string;
  answered: number;
  correct: number;
}

export interface QuizzesDeps extends Runtime {
  repo: QuizzesRepository;
  schedule: Pick<ScheduleRepository, "setTimer" | "cancelTimer">;
  activity: ActivityRepository;
  groups: GroupsService;
  lessons: Pick<LessonsService, "pushes">;
  curriculum: Curriculum;
  /** Where timer-sent quizzes are enqueued (the outbox). */
  outbox: Pick<Outbox, "enqueue">;
  random?: () => number;
  /** Who hears of each answer (the `quizAnswered` hooks), read when an answer comes. */
  answered?: () => readonly ((answer: QuizAnswer) => Promise<void>)[];
}

/** A member's answer to one of the bot's quiz polls (lesson quiz, contest or practice), as the hooks hear it. */
export interface QuizAnswer {
  userId: number;
  ref: QuestionRef;
  correct: boolean;
  at: number;
  /** A redelivered answer names the same poll: listeners count it once. */
  pollId: string;
  kind: PollMeta["kind"];
  /** The group the poll was in (not for practice). */
  groupId?: number;
}

export function createQuizzesService(deps: QuizzesDeps) {
  const { repo, curriculum, api, t, pacer, clock } = deps;
  const log = deps.logger.child({ feature: "quizzes" });
  const threadOf = (group: GroupInfo) => (group.isForum ? group.topicId : undefined);
  const direct = directDelivery(pacer);
  const tell = async (answer: QuizAnswer): Promise<void> => {
    for (const listener of deps.answered?.() ?? []) await listener(answer);
  };

  /**
   * Sends question `index` of a run to the group and remembers the poll (and its closing) inside the
   * same delivery step, so a resumed job neither resends a poll that went out nor loses its record.
   */
  async function sendRunQuestion(
    group: GroupInfo,
    run: Pick<RunInfo, "runId" | "kind" | "refs">,
    index: number,
    delivery: Delivery = direct,
  ): Promise<void> {
    const ref = run.refs[index];
    const question = ref ? resolveQuestion(curriculum, ref) : undefined;
    if (!ref || !question) throw new Error(`question ${index} of run ${run.runId} is gone from the content`);
    const openSeconds = run.kind === "contest" ? CONTEST_OPEN_SECONDS : LESSON_OPEN_SECONDS;
    await delivery.send(`poll:${run.runId}:${index}`, group.id, async () => {
      // The delivery paces the send; pacing inside it again would take two turns.
      const msg = await sendQuizPoll(api, unpaced, group.id, question.item, { openSeconds, threadId: threadOf(group) });
      const sentAt = clock.now();
      const meta: PollMeta = {
        pollId: msg.poll.id,
        chatId: group.id,
        kind: run.kind,
        runId: run.runId,
        index,
        ref,
        correct: question.item.answer,
        sentAt,
        openMs: openSeconds * 1000,
        messageId: msg.message_id,
        // A lesson's question scores once per member even if re-sent; each contest poll scores on its own.
        scoreKey: run.kind === "lesson" ? ref : `P|${msg.poll.id}`,
        weekId: weekIdAt(sentAt, group.timeZone),
      };
      await repo.savePoll(meta);
      await repo.addRunPoll(group.id, run.runId, index, meta.pollId);
      await deps.schedule.setTimer({
        id: `${QUIZ_CLOSE_TIMER}:${meta.pollId}`,
        kind: QUIZ_CLOSE_TIMER,
        at: sentAt + meta.openMs + CLOSE_GRACE_MS,
        payload: { pollId: meta.pollId },
      });
      return msg;
    });
  }

  async function startLessonQuiz(group: GroupInfo, lesson: Lesson, runId?: string, delivery: Delivery = direct): Promise<number> {
    runId ??= await repo.nextRunId(group.id);
    const refs = lesson.quiz.map((_, i) => lessonQuestionRef(lesson.id, i));
    const run = {
      runId,
      kind: "lesson" as const,
      refs,
      title: lesson.title,
      source: lesson.id,
      createdAt: clock.now(),
    };
    await delivery.once(`run:${runId}`, async () => {
      await repo.createRun(group.id, run);
      await repo.markLessonRun(group.id, lesson.id, run.createdAt);
    });
    // All questions at once: members who come later still find the whole quiz, each poll open 10 minutes.
    for (let i = 0; i < refs.length; i++) await sendRunQuestion(group, run, i, delivery);
    log.info({ group: group.id, lesson: lesson.id, run: runId, questions: refs.length }, "lesson quiz sent");
    return refs.length;
  }

  async function membersOf(groupId: number, runId: string): Promise<RankedMember[]> {
    const stats = await repo.runMembers(groupId, runId);
    if (stats.size === 0) return [];
    const names = new Map((await deps.groups.roster(groupId)).map((m) => [m.userId, m.name]));
    const out: RankedMember[] = [];
    for (const [userId, s] of stats) {
      const name = names.get(userId) ?? (await deps.groups.user(userId))?.name ?? String(userId);
      out.push({ userId, name, ...s });
    }
    return out;
  }

  async function finish(group: GroupInfo, run: RunInfo): Promise<void> {
    if (!(await repo.finishRun(group.id, run.runId))) return;
    const members = await membersOf(group.id, run.runId);
    const text =
      run.kind === "contest"
        ? formatPodium(t, group.locale, run.title, run.refs.length, members)
        : formatQuizResults(t, group.locale, run.title, run.refs.length, members);
    if (run.kind === "contest") await repo.releaseContest(group.id, run.runId);
    await pacer(() =>
      api.sendMessage(group.id, text, { parse_mode: "HTML", message_thread_id: threadOf(group) }),
    );
    log.info(
      { group: group.id, run: run.runId, kind: run.kind, participants: members.length },
      "quiz finished",
    );
  }

  /** A poll of ours closed (Telegram's update or our timer, whichever first): results or the next contest question. */
  async function pollClosed(pollId: string): Promise<void> {
    const meta = await repo.poll(pollId);
    if (!meta || meta.kind === "practice" || !meta.runId) return;
    const closed = await repo.closePoll(meta.chatId, meta.runId, pollId);
    if (closed < 0) return;
    await deps.schedule.cancelTimer(`${QUIZ_CLOSE_TIMER}:${pollId}`);
    const [group, run] = await Promise.all([deps.groups.get(meta.chatId), repo.run(meta.chatId, meta.runId)]);
    if (!group || !run) return;
    if (run.kind === "contest" && meta.index + 1 < run.refs.length && group.active) {
      try {
        await sendRunQuestion(group, run, meta.index + 1);
        return;
      } catch (err) {
        log.error({ err, group: group.id, run: run.runId }, "contest question failed; ending the contest");
      }
    }
    if (run.kind === "contest" || closed >= run.refs.length) await finish(group, run);
  }

  return {
    pollClosed,

    /** `/quiz [track]`: the quiz of the last lesson pushed (of that track, or of any), now. */
    async quizNow(group: GroupInfo, track?: Track): Promise<QuizNowResult> {
      const pushes = await deps.lessons.pushes(group.id);
      const last = pushes.filter((p) => !track || curriculum.byId.get(p.lessonId)?.track === track).at(-1);
      const lesson = last ? curriculum.byId.get(last.lessonId) : undefined;
      if (!lesson) return { kind: "no-lesson" };
      if (lesson.quiz.length === 0) return { kind: "no-quiz", lesson };
      return { kind: "sent", lesson, count: await startLessonQuiz(group, lesson) };
    },

    /** After a push: the lesson's quiz follows `quiz_after_minutes` later, by a durable timer. */
    async afterPush(group: GroupInfo, lesson: Lesson, push: PushRecord): Promise<void> {
      if (lesson.quiz.length === 0) return;
      await deps.schedule.setTimer({
        id: `${QUIZ_LESSON_TIMER}:${group.id}:${lesson.id}:${push.at}`,
        kind: QUIZ_LESSON_TIMER,
        at: push.at + group.schedule.quiz_after_minutes * 60_000,
        payload: { groupId: group.id, lessonId: lesson.id, pushedAt: push.at },
      });
    },

    /** The timer set by afterPush: the quiz is sent by an outbox job (id: group, lesson and push time). */
    async lessonTimer(timer: TimerEntry): Promise<void> {
      const { groupId, lessonId, pushedAt } = timer.payload as { groupId: number; lessonId: string; pushedAt: number };
      await deps.outbox.enqueue(QUIZ_LESSON_JOB, `${groupId}-${lessonId}-${pushedAt}`, { groupId, lessonId, pushedAt });
    },

    /**
     * The outbox job of a lesson's quiz: sends it unless /quiz already sent it since the push. The job holds
     * one run; a retry resumes that run and sends only the polls that had not gone out.
     */
    async lessonQuizJob(payload: Record<string, unknown>, delivery: Delivery): Promise<void> {
      const lessonId = String(payload.lessonId);
      const group = await deps.groups.get(Number(payload.groupId));
      const lesson = curriculum.byId.get(lessonId);
      if (!group?.active || !lesson || lesson.quiz.length === 0) return;
      // The group's id now, not the job's: a job made before the group's upgrade works on the supergroup.
      const groupId = group.id;
      let runId = await repo.jobRun(groupId, delivery.id);
      if (!runId) {
        if ((await repo.lastLessonRun(groupId, lessonId)) >= Number(payload.pushedAt)) return;
        runId = await repo.claimJobRun(groupId, delivery.id, await repo.nextRunId(groupId));
      }
      await startLessonQuiz(group, lesson, runId, delivery);
    },

    closeTimer: (timer: TimerEntry) => pollClosed(String(timer.payload.pollId)),

    /** `/contest <bank> [n]`: n questions of a bank, one poll at a time, then a podium. */
    async startContest(group: GroupInfo, bankName: string, count?: number): Promise<ContestResult> {
      const bank = [...curriculum.quizBanks.values()].find(
        (b) => b.name.toLowerCase() === bankName.toLowerCase(),
      );
      if (!bank) return { kind: "unknown-bank", available: [...curriculum.quizBanks.keys()].sort() };
      if (count !== undefined && (!Number.isInteger(count) || count < 1)) return { kind: "bad-count" };
      const n = Math.min(count ?? CONTEST_DEFAULT_QUESTIONS, bank.items.length);
      const runId = await repo.nextRunId(group.id);
      // The slot outlives a contest whose polls all time out, so a lost update cannot block contests for long.
      const ttl = n * (CONTEST_OPEN_SECONDS * 1000 + CLOSE_GRACE_MS + 10_000) + 60_000;
      if (!(await repo.claimContest(group.id, runId, ttl))) return { kind: "busy" };
      const indices = shuffle(
        bank.items.map((_, i) => i),
        deps.random,
      ).slice(0, n);
      const run = {
        runId,
        kind: "contest" as const,
        refs: indices.map((i) => bankQuestionRef(bank.name, i)),
        title: bank.name,
        source: bank.name,
        createdAt: clock.now(),
      };
      await repo.createRun(group.id, run);
      try {
        const intro = t(group.locale, "quizzes-contest-intro", {
          bank: bank.name,
          count: n,
          seconds: CONTEST_OPEN_SECONDS,
        });
        await pacer(() => api.sendMessage(group.id, intro, { message_thread_id: threadOf(group) }));
        await sendRunQuestion(group, run, 0);
      } catch (err) {
        await repo.releaseContest(group.id, runId);
        throw err;
      }
      log.info({ group: group.id, bank: bank.name, run: runId, questions: n }, "contest started");
      return { kind: "started", bank: bank.name, count: n };
    },

    /**
     * A member answered a group quiz poll: scored once per member and poll (a redelivered update
     * changes nothing), counted once per member and question in the activity ledger; someone not
     * in the group counts for nothing.
     * Returns the poll's record when it is ours (practice polls are left to the caller). `known`: the
     * record as the caller just read it (the dispatcher's ownership check), not read again.
     */
    async answer(pollId: string, user: User, optionIds: number[], known?: PollMeta): Promise<PollMeta | undefined> {
      const meta = known ?? (await repo.poll(pollId));
      if (!meta || optionIds.length === 0) return meta;
      // Telegram sends one option of the poll; anything else is forged and must not count (nor advance practice).
      if (!isPossibleAnswer(curriculum, meta.ref, optionIds)) {
        log.warn({ poll: pollId, user: user.id, options: optionIds.slice(0, 5) }, "impossible quiz answer ignored");
        return undefined;
      }
      if (meta.kind === "practice") {
        if (meta.chatId === user.id)
          await tell({ userId: user.id, ref: meta.ref, correct: optionIds[0] === meta.correct, at: clock.now(), pollId, kind: meta.kind });
        return meta;
      }
      const group = await deps.groups.getRecent(meta.chatId);
      if (!group) return undefined;
      // A forwarded copy of the poll reaches people outside the group: only members count.
      if (!(await deps.groups.confirmMember(group.id, user))) {
        log.info({ group: group.id, poll: pollId, user: user.id }, "quiz answer from a non-member ignored");
        return meta;
      }
      const at = clock.now();
      const correct = optionIds[0] === meta.correct;
      const ms = Math.max(0, at - meta.sentAt);
      const points = quizPoints(correct, ms, meta.openMs);
      const ledgerInput = (a: { at: number; correct: boolean; points: number }) => {
        const increments: Increments = { quiz_answers: 1 };
        if (a.correct) increments.quiz_correct = 1;
        if (a.points > 0) increments.quiz_points = a.points;
        const once = { key: repo.scoredKey(group.id, meta.scoreKey), member: String(user.id) };
        return { groupId: group.id, timeZone: group.timeZone, userId: user.id, at: a.at, ref: `quiz:${meta.ref}`, increments, once };
      };
      // A new answer is counted in the ledger by the same script (the answer's one round trip).
      const sameGroup = group.id === meta.chatId;
      const stored = await repo.recordAnswer(meta, user.id, { correct, points, ms, at }, sameGroup ? ledgerEvent(ledgerInput({ at, correct, points })) : undefined);
      const { answer } = stored;
      let counted = stored.counted;
      if (!stored.fresh || !sameGroup) {
        // An answer stored before (a redelivery), or a poll of a group since moved: the ledger on its own, once.
        counted = await recordActivity(deps.activity, ledgerInput(answer));
        if (counted) await repo.expireScored(group.id, meta.scoreKey);
      }
      await tell({ userId: user.id, ref: meta.ref, correct: answer.correct, at: answer.at, pollId, kind: meta.kind, groupId: group.id });
      log.info(
        { group: group.id, poll: pollId, user: user.id, correct: answer.correct, counted },
        "quiz answer recorded",
      );
      return meta;
    },

    /** Per question asked in a group's week: how many answered and how many were right, hardest first. */
    async questionStats(groupId: number, weekId: string): Promise<QuestionStat[]> {
      const raw = await repo.questionCounts(groupId, weekId);
      const byRef = new Map<string, QuestionStat>();
      for (const [field, value] of Object.entries(raw)) {
        const sep = field.lastIndexOf("|");
        const ref = field.slice(0, sep);
        const [kind, name = ""] = ref.split("|");
        const stat = byRef.get(ref) ?? {
          ref,
          question: resolveQuestion(curriculum, ref)?.item.question ?? ref,
          source: `${kind === "L" ? "lesson" : "bank"}:${name}`,
          answered: 0,
          correct: 0,
        };
        if (field.endsWith("|a")) stat.answered = Number(value);
        else stat.correct = Number(value);
        byRef.set(ref, stat);
      }
      const share = (s: QuestionStat) => (s.answered ? s.correct / s.answered : 1);
      return [...byRef.values()].sort(
        (a, b) => share(a) - share(b) || b.answered - a.answered || (a.ref < b.ref ? -1 : 1),
      );
    },

    bankNames: (): string[] => [...curriculum.quizBanks.keys()].sort(),
    itemOf: (ref: QuestionRef): QuizItem | undefined => resolveQuestion(curriculum, ref)?.item,
  };
}

export type QuizzesService = ReturnType<typeof createQuizzesService>;
