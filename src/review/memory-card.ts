import type { State } from "ts-fsrs";

/**
 * A member's memory of one quiz question as stored; FSRS grades it in memory-grade.ts, which loads ts-fsrs on the
 * first answer graded (not at start). What is stored per card: FSRS's state, compactly, and the last poll that graded
 * it (redeliveries count once).
 */
export interface MemoryCard {
  due: number;
  stability: number;
  difficulty: number;
  reps: number;
  lapses: number;
  state: State;
  scheduledDays: number;
  lastReview?: number;
  lastPoll: string;
}

/** Four decimals keep FSRS's precision where it matters and the stored card short. */
const round = (n: number) => Math.round(n * 10_000) / 10_000;

/** `due,stability,difficulty,reps,lapses,state,scheduledDays,lastReview,lastPoll`: about 60 bytes, a hash field's value. */
export function encodeCard(c: MemoryCard): string {
  return [c.due, round(c.stability), round(c.difficulty), c.reps, c.lapses, c.state, c.scheduledDays, c.lastReview ?? "", c.lastPoll].join(",");
}

export function decodeCard(raw: string | null | undefined): MemoryCard | undefined {
  if (!raw) return undefined;
  const [due, stability, difficulty, reps, lapses, state, scheduledDays, lastReview, ...poll] = raw.split(",");
  const n = Number(due);
  if (!Number.isFinite(n)) return undefined;
  return {
    due: n,
    stability: Number(stability),
    difficulty: Number(difficulty),
    reps: Number(reps),
    lapses: Number(lapses),
    state: Number(state) as State,
    scheduledDays: Number(scheduledDays),
    lastReview: lastReview ? Number(lastReview) : undefined,
    lastPoll: poll.join(","),
  };
}
