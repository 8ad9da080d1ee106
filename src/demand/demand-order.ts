import type { Lesson } from "../content/types.js";

/** What a group's organisers and members decided about its elective lessons. */
export interface DemandPrefs {
  /** Votes per topic from the group's last closed needs survey. */
  votes: Readonly<Record<string, number>>;
  /** Lessons to come next, the most recently pinned first. */
  pins: readonly string[];
  /** Lessons never to push to this group (unless pinned again). */
  skips: readonly string[];
  /** Whether the votes reorder the track (pins and skips apply either way). */
  reorder: boolean;
}

/** A lesson's demand: the votes of its most-wanted topic (0 when none of its topics was asked for). */
export function demandOf(lesson: Lesson, votes: Readonly<Record<string, number>>): number {
  let best = 0;
  for (const topic of lesson.topics) best = Math.max(best, votes[topic] ?? 0);
  return best;
}

/**
 * The order a group gets the lessons of a track it has not had yet (`remaining`, in curriculum order):
 * pinned lessons first, then, with reordering on, lessons on the most-wanted topics, the rest keeping
 * their order (ties keep curriculum order); skipped lessons are left out. Only `remaining` is ordered,
 * so what was pushed stays pushed and is never offered again.
 */
export function orderRemaining(remaining: readonly Lesson[], prefs: DemandPrefs): Lesson[] {
  const skipped = new Set(prefs.skips);
  const byId = new Map(remaining.map((l) => [l.id, l]));
  const pinned = prefs.pins.flatMap((id) => {
    const lesson = byId.get(id);
    return lesson ? [lesson] : [];
  });
  const first = new Set(pinned.map((l) => l.id));
  const rest = remaining.filter((l) => !first.has(l.id) && !skipped.has(l.id));
  if (prefs.reorder) {
    // Array.prototype.sort is stable: equal demand keeps curriculum order.
    const demand = new Map(rest.map((l) => [l.id, demandOf(l, prefs.votes)]));
    rest.sort((a, b) => (demand.get(b.id) ?? 0) - (demand.get(a.id) ?? 0));
  }
  return [...pinned, ...rest];
}

/** A closed survey's question as the survey feature reports it: options with votes, and their topics when given. */
export interface TalliedQuestion {
  options: readonly { votes: number }[];
  topics?: readonly (readonly string[])[];
}

/**
 * Votes per topic from a closed survey: each option's votes count for every topic it stands for, summed
 * over the questions that name topics. Empty when no question does (not a needs survey).
 */
export function topicVotes(questions: readonly TalliedQuestion[]): Record<string, number> {
  const votes: Record<string, number> = {};
  for (const q of questions) {
    if (!q.topics) continue;
    q.options.forEach((option, i) => {
      for (const topic of new Set(q.topics?.[i] ?? [])) votes[topic] = (votes[topic] ?? 0) + option.votes;
    });
  }
  return votes;
}

/** Topics by votes, most wanted first (ties by name), without those nobody voted for. */
export function rankedTopics(votes: Readonly<Record<string, number>>): [string, number][] {
  return Object.entries(votes)
    .filter(([, n]) => n > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
}
