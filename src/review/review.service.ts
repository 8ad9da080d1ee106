import type { Curriculum } from "../content/types.js";
import { recordActivity, type ActivityRepository } from "../activity/index.js";
import type { GroupInfo, GroupsService } from "../groups/index.js";
import { resolveQuestion, sendQuizPoll, type QuestionRef, type QuizAnswer } from "../quizzes/index.js";
import type { Locale } from "../shared/i18n.js";
import type { Runtime } from "../shared/runtime.js";
import { dayIdAt, weekIdAt } from "../shared/week.js";
import type { MemoryCard } from "./memory-card.js";
import type { ReviewRepository } from "./review.repository.js";
import { endOfLocalDay, previousDayId } from "./review-time.js";
import { moreKeyboard } from "./review.keyboards.js";

/** Questions sent per /review (and per "More"): a few at a time, a phone screen's worth. */
export const REVIEW_BATCH = 5;
/** How many times a card's compare-and-set is tried before the answer is given up (someone keeps changing it). */
const SAVE_TRIES = 5;
const FORGOTTEN_TOP = 3;
/** How many due cards /review checks against the content before counting (a member has a few dozen). */
const PRUNE_LOOK = 500;

export interface ReviewDeps extends Runtime {
  repo: ReviewRepository;
  groups: Pick<GroupsService, "groupsOf" | "get" | "isOnRoster">;
  activity: ActivityRepository;
  curriculum: Curriculum;
  defaultTimeZone: string;
}

export type ReviewStart =
  | { kind: "sent"; due: number; sent: number }
  | { kind: "nothing"; next?: number; timeZone: string };

export interface ForgottenQuestion {
  question: string;
  times: number;
}

export function createReviewService(deps: ReviewDeps) {
  const { repo, curriculum, api, t, pacer, clock } = deps;
  const log = deps.logger.child({ feature: "review" });

  /** The active study groups whose roster has the member (usually one), lowest id first. */
  async function memberGroups(userId: number): Promise<GroupInfo[]> {
    const ids = (await deps.groups.groupsOf(userId)).sort((a, b) => a - b);
    const found = await Promise.all(
      ids.map(async (id) => {
        const [group, onRoster] = await Promise.all([deps.groups.get(id), deps.groups.isOnRoster(id, userId)]);
        return group?.active && onRoster ? group : undefined;
      }),
    );
    return found.filter((g): g is GroupInfo => g !== undefined);
  }

  /** The member's time zone: their (first) group's, or the default. */
  const zoneOf = (groups: GroupInfo[]) => groups[0]?.timeZone ?? deps.defaultTimeZone;

  /**
   * Grades the member's card of a question: Again when wrong, Good when right. Once per poll (a redelivered
   * answer changes nothing). Returns the new card, or undefined when this poll had already graded it.
   */
  async function grade(userId: number, ref: QuestionRef, correct: boolean, at: number, pollId: string): Promise<{ card: MemoryCard; lapsed: boolean } | undefined> {
    const { gradeCard } = await import("./memory-grade.js");
    for (let i = 0; i < SAVE_TRIES; i++) {
      const { raw, card } = await repo.card(userId, ref);
      if (card?.lastPoll === pollId) return undefined;
      const next = gradeCard(card, correct, at, pollId);
      if (await repo.saveCard(userId, ref, raw, next.card)) return next;
    }
    log.warn({ user: userId }, "card kept changing; answer not graded");
    return undefined;
  }

  async function countLapse(groups: GroupInfo[], ref: QuestionRef, at: number): Promise<void> {
    for (const g of groups) await repo.countLapse(g.id, weekIdAt(at, g.timeZone), ref);
  }

  /** Sends the next due questions (most overdue first) that are not in `skip`; returns how many went. */
  async function sendBatch(userId: number, until: number, skip: Set<string>, fresh: boolean): Promise<number> {
    const opened: Record<string, string> = {};
    const page = REVIEW_BATCH + skip.size;
    for (let offset = 0; Object.keys(opened).length < REVIEW_BATCH; offset += page) {
      const refs = await repo.dueRefs(userId, until, page, offset);
      for (const ref of refs) {
        if (Object.keys(opened).length >= REVIEW_BATCH) break;
        if (skip.has(ref)) continue;
        const question = resolveQuestion(curriculum, ref);
        if (!question) continue; // gone from the content: pruned by the next /review
        const msg = await sendQuizPoll(api, pacer, userId, question.item);
        await repo.savePoll(msg.poll.id, { userId, ref, correct: question.item.answer });
        opened[ref] = msg.poll.id;
      }
      if (refs.length < page) break;
    }
    await repo.openPolls(userId, opened, fresh);
    return Object.keys(opened).length;
  }

  /** Cards of questions that left the content (a lesson or bank item removed) are forgotten, so counts stay true. */
  async function pruneGone(userId: number, until: number): Promise<void> {
    for (const ref of await repo.dueRefs(userId, until, PRUNE_LOOK)) if (!resolveQuestion(curriculum, ref)) await repo.dropCard(userId, ref);
  }

  return {
    memberGroups,
    zoneOf,

    /** The `quizAnswered` hook: a lesson quiz, contest or practice answer grades the member's card. */
    async quizAnswered(answer: QuizAnswer): Promise<void> {
      const graded = await grade(answer.userId, answer.ref, answer.correct, answer.at, answer.pollId);
      if (!graded?.lapsed) return;
      const groups = answer.groupId === undefined ? await memberGroups(answer.userId) : [await deps.groups.get(answer.groupId)];
      await countLapse(groups.filter((g): g is GroupInfo => g !== undefined), answer.ref, answer.at);
    },

    /** `/review`: how many questions are due today, and the first few as quiz polls. */
    async start(userId: number, locale: Locale): Promise<ReviewStart> {
      const timeZone = zoneOf(await memberGroups(userId));
      const until = endOfLocalDay(clock.now(), timeZone);
      await pruneGone(userId, until);
      const due = await repo.dueCount(userId, until);
      if (due === 0) return { kind: "nothing", next: await repo.nextDue(userId), timeZone };
      const intro = t(locale, "review-intro", { due, batch: Math.min(due, REVIEW_BATCH) });
      await pacer(() => api.sendMessage(userId, intro, { reply_markup: due > REVIEW_BATCH ? moreKeyboard(t, locale) : undefined }));
      const sent = await sendBatch(userId, until, new Set(), true);
      log.info({ user: userId, due, sent, locale }, "review sent");
      return sent > 0 ? { kind: "sent", due, sent } : { kind: "nothing", next: await repo.nextDue(userId), timeZone };
    },

    /** "More": the next few due questions beside those still open. */
    async more(userId: number): Promise<number> {
      const timeZone = zoneOf(await memberGroups(userId));
      const open = await repo.openBatch(userId);
      return sendBatch(userId, endOfLocalDay(clock.now(), timeZone), new Set(Object.keys(open)), false);
    },

    /** Whether a poll is one /review sent. */
    ownsPoll: async (pollId: string): Promise<boolean> => (await repo.poll(pollId)) !== undefined,

    /**
     * An answer to a /review poll: grades the card, counts as reviewing in the member's groups (their ledger,
     * kind `reviews`, once per poll) and in the streak. Returns what is left when it closed the open batch.
     */
    async answered(pollId: string, userId: number, optionIds: readonly number[], locale: Locale): Promise<void> {
      const poll = await repo.poll(pollId);
      const [option] = optionIds;
      if (!poll || poll.userId !== userId || optionIds.length !== 1 || option === undefined) return;
      const at = clock.now();
      const graded = await grade(userId, poll.ref, option === poll.correct, at, pollId);
      const groups = await memberGroups(userId);
      const timeZone = zoneOf(groups);
      if (graded) {
        if (graded.lapsed) await countLapse(groups, poll.ref, at);
        for (const g of groups) {
          const dayId = dayIdAt(at, g.timeZone);
          await recordActivity(deps.activity, {
            groupId: g.id,
            timeZone: g.timeZone,
            userId,
            at,
            ref: `review:${poll.ref}`,
            increments: { reviews: 1 },
            once: { key: repo.countedKey(g.id, dayId), member: `${userId}:${pollId}` },
          });
          await repo.expireCounted(g.id, dayId);
        }
        await repo.markDay(userId, dayIdAt(at, timeZone), previousDayId(at, timeZone));
        log.info({ user: userId, poll: pollId, correct: option === poll.correct, due: graded.card.due }, "review answer graded");
      }
      // The batch's last answer: what is left today, with "More" when something is.
      if ((await repo.closePoll(userId, poll.ref, pollId)) !== 0) return;
      const left = await repo.dueCount(userId, endOfLocalDay(at, timeZone));
      const text = left > 0 ? t(locale, "review-batch-done-more", { left }) : t(locale, "review-all-done");
      await pacer(() => api.sendMessage(userId, text, { reply_markup: left > 0 ? moreKeyboard(t, locale) : undefined }));
    },

    /** For /me: questions due today and the review streak (0 once a day was missed). */
    async status(userId: number): Promise<{ due: number; streak: number }> {
      const [groups, profile] = await Promise.all([memberGroups(userId), repo.profile(userId)]);
      const timeZone = zoneOf(groups);
      const now = clock.now();
      const due = await repo.dueCount(userId, endOfLocalDay(now, timeZone));
      const alive = profile.lastDay === dayIdAt(now, timeZone) || profile.lastDay === previousDayId(now, timeZone);
      return { due, streak: alive ? profile.streak : 0 };
    },

    /** For reports: the group's questions most often forgotten in the week (FSRS lapses), most first. */
    async forgotten(groupId: number, weekId: string): Promise<ForgottenQuestion[]> {
      const counts = await repo.lapses(groupId, weekId);
      return [...counts]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, FORGOTTEN_TOP)
        .map(([ref, times]) => ({ question: resolveQuestion(curriculum, ref)?.item.question ?? ref, times }));
    },
  };
}

export type ReviewService = ReturnType<typeof createReviewService>;
