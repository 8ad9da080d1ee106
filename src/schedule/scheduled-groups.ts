import type { GroupInfo } from "../groups/groups.types.js";

/** What a slot source sees of a group: its id, time zone and schedule (with the tracks it turned off). */
export type ScheduledGroup = Pick<GroupInfo, "id" | "timeZone" | "schedule" | "tracksOff">;

/** A time zone, schedule and tracks: one object for every group that has the same (most keep the defaults). */
interface Shape {
  sig: string;
  timeZone: string;
  schedule: GroupInfo["schedule"];
  tracksOff: GroupInfo["tracksOff"];
}

/** One group as the scheduler keeps it between reads of the list: no title, locale or topic. */
export interface GroupEntry {
  id: number;
  shape: Shape;
  /** Slots before this instant never count (the group joined, or its schedule changed, later). */
  notBefore: number;
  /** When each of its slots (in the sources' order) next needs a look; empty: look at all now. */
  look: number[];
  /** The earliest of `look`: the tick skips the group, sources and cron maths included, until then. */
  due: number;
}

/** The list of active groups, or the same in batches (then no more than a batch of full records is held at once). */
export type GroupListing = Promise<readonly GroupInfo[]> | AsyncIterable<readonly GroupInfo[]>;

export function viewOf(entry: GroupEntry): ScheduledGroup {
  const { timeZone, schedule, tracksOff } = entry.shape;
  return { id: entry.id, timeZone, schedule, tracksOff };
}

/*
 * With 10,000 groups the list is read every few seconds: keeping the full records (and a look-up
 * string per group and slot) held tens of MiB, and made as much garbage each time. An entry keeps
 * only what finding due slots needs, shares its schedule with every group on the same one, and
 * survives a read that finds the group unchanged, so its look times are kept too.
 */
export function createGroupEntries() {
  let entries = new Map<number, GroupEntry>();
  let list: GroupEntry[] = [];
  let shapes = new Map<string, Shape>();

  function shapeOf(group: GroupInfo, used: Map<string, Shape>): Shape {
    const sig = JSON.stringify([group.timeZone, group.schedule, group.tracksOff]);
    const shape = used.get(sig) ?? shapes.get(sig) ?? { sig, timeZone: group.timeZone, schedule: group.schedule, tracksOff: group.tracksOff };
    used.set(sig, shape);
    return shape;
  }

  return {
    /** Reads the list again; an unchanged group keeps its entry (and when its slots next need a look). */
    async refresh(listing: GroupListing): Promise<void> {
      const next = new Map<number, GroupEntry>();
      const used = new Map<string, Shape>();
      const take = (batch: readonly GroupInfo[]) => {
        for (const group of batch) {
          if (!group.active) continue;
          const shape = shapeOf(group, used);
          const notBefore = Math.max(group.registeredAt, group.scheduleUpdatedAt);
          const before = entries.get(group.id);
          const same = before && before.shape === shape && before.notBefore === notBefore;
          next.set(group.id, same ? before : { id: group.id, shape, notBefore, look: [], due: 0 });
        }
      };
      if (Symbol.asyncIterator in listing) for await (const batch of listing) take(batch);
      else take(await listing);
      entries = next;
      list = [...next.values()];
      shapes = used;
    },
    /** The clock went back (tests): every slot is looked at again. */
    lookAgain(): void {
      for (const entry of entries.values()) {
        entry.look = [];
        entry.due = 0;
      }
    },
    all(): readonly GroupEntry[] {
      return list;
    },
  };
}
