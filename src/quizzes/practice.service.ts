import type { Curriculum, Track } from "../content/types.js";
import { escapeHtml } from "../content/index.js";
import type { Locale } from "../shared/i18n.js";
import { weekIdAt } from "../shared/week.js";
import { practicePool, resolveQuestion, shuffle } from "./quiz-items.js";
import { sendQuizPoll } from "./quiz-poll.js";
import type { PollMeta, QuizzesRepository } from "./quizzes.repository.js";
import type { PracticeRepository } from "./practice.repository.js";
import type { Runtime } from "../shared/runtime.js";

export interface PracticeDeps extends Runtime {
  repo: PracticeRepository;
  polls: Pick<QuizzesRepository, "savePoll">;
  curriculum: Curriculum;
  random?: () => number;
}

export type PracticeStart = { kind: "started"; total: number } | { kind: "empty" };

/**
 * Practice in a private chat: questions one at a time from lessons' quizzes and banks, in random
 * order without repeats until all are asked. Nothing here touches group scores.
 */
export function createPracticeService(deps: PracticeDeps) {
  const { repo, curriculum, api, t, pacer, clock } = deps;
  const log = deps.logger.child({ feature: "practice" });

  /** Sends the next question (a new round when the last is done); false when there is nothing to ask. */
  async function sendNext(userId: number, locale: Locale, lead?: string): Promise<boolean> {
    const state = await repo.state(userId);
    if (!state) return false;
    let queue = state.queue.filter((ref) => resolveQuestion(curriculum, ref));
    const notes = lead ? [lead] : [];
    if (queue.length === 0) {
      queue = shuffle(practicePool(curriculum, (state.track || undefined) as Track | undefined), deps.random);
      if (queue.length === 0) return false;
      notes.push(t(locale, "quizzes-practice-round", { total: queue.length }));
    }
    const [ref, ...rest] = queue;
    const question = ref ? resolveQuestion(curriculum, ref) : undefined;
    if (!ref || !question) return false;
    if (notes.length > 0)
      await pacer(() => api.sendMessage(userId, notes.join("\n"), { parse_mode: "HTML" }));
    const msg = await sendQuizPoll(api, pacer, userId, question.item);
    const sentAt = clock.now();
    const meta: PollMeta = {
      pollId: msg.poll.id,
      chatId: userId,
      kind: "practice",
      index: state.asked,
      ref,
      correct: question.item.answer,
      sentAt,
      openMs: 0,
      messageId: msg.message_id,
      scoreKey: "",
      weekId: weekIdAt(sentAt, "UTC"),
    };
    await deps.polls.savePoll(meta);
    await repo.setQueue(userId, rest, meta.pollId);
    return true;
  }

  return {
    /** `/practice [track]`: a fresh shuffled round and its first question. */
    async start(userId: number, locale: Locale, track?: Track): Promise<PracticeStart> {
      const pool = shuffle(practicePool(curriculum, track), deps.random);
      if (pool.length === 0) return { kind: "empty" };
      await repo.start(userId, track ?? "", pool);
      const intro = t(locale, "quizzes-practice-intro", {
        total: pool.length,
        track: track ? t(locale, `lessons-track-${track}`) : t(locale, "quizzes-practice-all-tracks"),
      });
      await sendNext(userId, locale, intro);
      log.info({ user: userId, track, questions: pool.length }, "practice started");
      return { kind: "started", total: pool.length };
    },

    /** The member answered their current practice question: a word of feedback and the next one, once. */
    async answered(meta: PollMeta, userId: number, optionIds: number[], locale: Locale): Promise<void> {
      if (meta.chatId !== userId || optionIds.length === 0) return;
      const correct = optionIds[0] === meta.correct;
      if (!(await repo.advance(userId, meta.pollId, correct))) return;
      const state = await repo.state(userId);
      const item = resolveQuestion(curriculum, meta.ref)?.item;
      const right = item?.options[item.answer] ?? "";
      const verdict = correct
        ? t(locale, "quizzes-practice-right")
        : t(locale, "quizzes-practice-wrong", { answer: escapeHtml(right) });
      const tally = t(locale, "quizzes-practice-tally", {
        asked: state?.asked ?? 0,
        right: state?.right ?? 0,
      });
      await sendNext(userId, locale, `${verdict}\n${tally}`);
    },

    /** `/practice stop`: ends the session; returns the tally, or undefined when none was running. */
    async stop(userId: number): Promise<{ asked: number; right: number } | undefined> {
      const state = await repo.state(userId);
      if (!state) return undefined;
      await repo.stop(userId);
      return { asked: state.asked, right: state.right };
    },
  };
}

export type PracticeService = ReturnType<typeof createPracticeService>;
