import type { Curriculum, Lesson, Track } from "../content/types.js";
import type { GroupInfo } from "../groups/index.js";
import type { LessonsRepository } from "./lessons.repository.js";

/**
 * Orders the lessons of a track a group has not had yet (given in curriculum order); may leave some out
 * (skipped). Answered by a later feature (training by demand); without one, curriculum order.
 */
export type LessonOrderHook = (group: GroupInfo, track: Track, remaining: Lesson[]) => Promise<Lesson[]>;

/** How many times a claim looks for its lesson again when another claim took the one it chose. */
const TAKE_ATTEMPTS = 5;

/**
 * A track's progress per group: `positions` counts the claimed positions, and each claimed position names
 * its lesson (`taken`), so the lessons already pushed stay fixed while the rest may be reordered. Positions
 * claimed before positions named lessons hold the curriculum's lesson at that index, as they always did.
 */
/** A group organiser's written lesson reaches only their group; every other lesson reaches every group. */
export const reachesGroup = (lesson: Lesson, groupId: number): boolean => lesson.groupId === undefined || lesson.groupId === groupId;

export function createTrackOrder(repo: LessonsRepository, curriculum: Curriculum, orderHooks: () => readonly LessonOrderHook[]) {
  const byId = curriculum.byId;

  /** The ids of the lessons held by the positions below `pos` (named, or by curriculum index before names existed). */
  function heldIds(track: Track, named: Map<number, string>, pos: number): Set<string> {
    const ids = new Set(named.values());
    const firstNamed = named.size > 0 ? Math.min(...named.keys()) : pos;
    const lessons = curriculum.byTrack[track];
    for (let i = 0; i < Math.min(firstNamed, pos); i++) {
      const legacy = lessons[i];
      if (legacy) ids.add(legacy.id);
    }
    return ids;
  }

  async function ordered(group: GroupInfo, track: Track, remaining: Lesson[]): Promise<Lesson[]> {
    const hook = orderHooks()[0];
    return hook ? hook(group, track, remaining) : remaining;
  }

  return {
    /** The track's lessons the group has not been given (nor is being given), in curriculum order. */
    async remaining(groupId: number, track: Track): Promise<Lesson[]> {
      const [named, positions] = await Promise.all([repo.taken(groupId, track), repo.positions(groupId)]);
      const held = heldIds(track, named, positions[track] ?? 0);
      return curriculum.byTrack[track].filter((l) => !held.has(l.id) && reachesGroup(l, groupId));
    },

    /** Whether the group was given this lesson (its position claimed). */
    async given(groupId: number, lesson: Lesson): Promise<boolean> {
      const [named, positions] = await Promise.all([repo.taken(groupId, lesson.track), repo.positions(groupId)]);
      return heldIds(lesson.track, named, positions[lesson.track] ?? 0).has(lesson.id);
    },

    /** The lesson the claimed position `index` holds: the one already named there (a retried delivery), else the first in the group's order. */
    async lessonAt(group: GroupInfo, track: Track, index: number): Promise<Lesson | undefined> {
      for (let attempt = 0; attempt < TAKE_ATTEMPTS; attempt++) {
        const named = await repo.taken(group.id, track);
        const known = named.get(index);
        if (known !== undefined) return byId.get(known);
        const held = heldIds(track, named, index);
        const [pick] = await ordered(group, track, curriculum.byTrack[track].filter((l) => !held.has(l.id) && reachesGroup(l, group.id)));
        if (!pick) return undefined;
        const holds = await repo.take(group.id, track, index, pick.id);
        if (holds !== undefined) return byId.get(holds);
        // Another position took `pick` between our read and our claim: look again.
      }
      return undefined;
    },

    ordered,
  };
}

export type TrackOrder = ReturnType<typeof createTrackOrder>;
