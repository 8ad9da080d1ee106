import { createEmptyCard, fsrs, generatorParameters, Rating, type Card } from "ts-fsrs";
import type { MemoryCard } from "./memory-card.js";

/**
 * A member's memory of one quiz question, scheduled by FSRS (ts-fsrs).
 *
 * Parameters, chosen deliberately:
 * - `enable_short_term: false`: no minute-level (re)learning steps. With ts-fsrs's defaults a right answer on
 *   a new card is due again in 10 minutes and a wrong one in 1 minute; this bot reminds at most once a day and
 *   a member reviews on a phone between other work, so intervals are whole days: a wrong answer comes back
 *   tomorrow (Again on a new card: 1 day), a right one in about three (Good: 3 days), and a question answered
 *   today is never due again today. The learning steps are therefore left at their defaults and unused.
 * - `enable_fuzz: false`: the same answers give the same dates (tests, and members comparing notes); the daily
 *   reminder spreads nothing anyway, it is one message a day whatever is due.
 * - retention 0.9 and the default weights: FSRS's published defaults, until there is data to fit our own.
 * Grades: a wrong answer is Again, a right one Good; Hard is never used as a failing grade (it is a pass in FSRS).
 */
const scheduler = fsrs(generatorParameters({ enable_short_term: false, enable_fuzz: false, request_retention: 0.9 }));

const toFsrs = (c: MemoryCard): Card => ({
  ...createEmptyCard(new Date(c.due)),
  due: new Date(c.due),
  stability: c.stability,
  difficulty: c.difficulty,
  reps: c.reps,
  lapses: c.lapses,
  state: c.state,
  scheduled_days: c.scheduledDays,
  last_review: c.lastReview === undefined ? undefined : new Date(c.lastReview),
});

/**
 * The card after an answer at `at`: Again when wrong, Good when right; a new card when there was none.
 * `lapsed` is FSRS's lapse: the member had this question right before (the card was in review) and forgot it.
 */
export function gradeCard(card: MemoryCard | undefined, correct: boolean, at: number, pollId: string): { card: MemoryCard; lapsed: boolean } {
  const before = card ? toFsrs(card) : createEmptyCard(new Date(at));
  const next = scheduler.next(before, new Date(at), correct ? Rating.Good : Rating.Again).card;
  return {
    card: {
      due: next.due.getTime(),
      stability: next.stability,
      difficulty: next.difficulty,
      reps: next.reps,
      lapses: next.lapses,
      state: next.state,
      scheduledDays: next.scheduled_days,
      lastReview: next.last_review?.getTime(),
      lastPoll: pollId,
    },
    lapsed: next.lapses > (card?.lapses ?? 0),
  };
}
