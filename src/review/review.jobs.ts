import type { GroupsService } from "../groups/index.js";
import type { Delivery, Outbox } from "../outbox/index.js";
import type { ScheduleRepository, TimerEntry } from "../schedule/index.js";
import { isLocale, type Locale } from "../shared/i18n.js";
import type { Runtime } from "../shared/runtime.js";
import { dayIdAt } from "../shared/week.js";
import type { ReviewProfile, ReviewRepository } from "./review.repository.js";
import type { ReviewService } from "./review.service.js";
import { endOfLocalDay, formatClockTime, nextDailyAt, parseClockTime } from "./review-time.js";

/** The daily reminder: a durable timer per member (`review-remind:<user>`), moved to the next day each time it runs. */
export const REMIND_TIMER = "review-remind";
/** Its message is an outbox job, one per member and local day (the job id), whichever instance's timer ran. */
export const REMIND_JOB = "review-remind";
/** A reminder the bot was down for is still sent this late; later it would wake people, and the next day's comes anyway. */
const REMIND_GRACE_MS = 3 * 3600_000;

export interface RemindersDeps extends Runtime {
  repo: ReviewRepository;
  review: Pick<ReviewService, "memberGroups" | "zoneOf">;
  groups: Pick<GroupsService, "user" | "get" | "roster">;
  timers: Pick<ScheduleRepository, "setTimers" | "cancelTimer">;
  outbox: Pick<Outbox, "enqueueMany">;
  defaultTimeZone: string;
  defaultLocale: Locale;
}

type ClockTime = { hour: number; minute: number };

/** One member's reminder as its timer found it. */
interface Due {
  userId: number;
  /** When the timer was meant to fire. */
  planned: number;
  time: ClockTime;
  /** The zone it is in now (its group's may have changed), and that group. */
  timeZone: string;
  zoneGroup: number | null;
  /** The zone moved since the timer was set: no reminder at the old hour, the next at the chosen hour in the new zone. */
  moved: boolean;
  /** The zone (or the group followed) is to be stored: it moved, or a reminder from before zones were followed adopts its group. */
  store: boolean;
}

/** `fn` remembered by its arguments (joined by `|`, or by `keyOf`) for as long as the returned function is kept. */
function memo<A extends unknown[], R>(fn: (...args: A) => R, keyOf: (...args: A) => string = (...args) => args.join("|")): (...args: A) => R {
  const known = new Map<string, R>();
  return (...args) => {
    const key = keyOf(...args);
    let value = known.get(key);
    if (value === undefined) known.set(key, (value = fn(...args)));
    return value;
  };
}

const timerId = (userId: number) => `${REMIND_TIMER}:${userId}`;
const timerAt = (userId: number, at: number): TimerEntry => ({ id: timerId(userId), kind: REMIND_TIMER, at, payload: { userId, at } });

export function createReminders(deps: RemindersDeps) {
  const { repo, clock, t } = deps;
  const log = deps.logger.child({ feature: "review" });

  /** Someone who never started the bot (or blocked it) is never written to. */
  const mayWrite = async (userId: number) => (await deps.groups.user(userId))?.privateOk === true;

  /** The member's zone: their (first) group's, which the reminder then follows, or the default. */
  async function zoneNow(userId: number): Promise<{ timeZone: string; zoneGroup: number | null }> {
    const groups = await deps.review.memberGroups(userId);
    return { timeZone: deps.review.zoneOf(groups), zoneGroup: groups[0]?.id ?? null };
  }

  /** The zones of the groups the batch's reminders follow, each group read once. */
  async function groupZones(profiles: readonly ReviewProfile[]): Promise<Map<number, string | undefined>> {
    const ids = [...new Set(profiles.flatMap((p) => (p.remind && typeof p.zoneGroup === "number" ? [p.zoneGroup] : [])))];
    const groups = await Promise.all(ids.map((id) => deps.groups.get(id)));
    return new Map(ids.map((id, i) => [id, groups[i]?.timeZone]));
  }

  /** What each timer found: the reminder still on, in which zone now (a reminder turned off is not set again). */
  async function read(timers: readonly TimerEntry[]): Promise<Due[]> {
    const members = timers.map((timer) => ({ userId: Number(timer.payload.userId), planned: Number(timer.payload.at) }));
    const profiles = await Promise.all(members.map((m) => repo.profile(m.userId)));
    // Reminders set before they followed their group's zone take it now (once: from now on they follow it).
    const [zones, adopted] = await Promise.all([
      groupZones(profiles),
      Promise.all(members.map((m, i) => (profiles[i]?.remind && profiles[i]?.zoneGroup === undefined ? zoneNow(m.userId) : undefined))),
    ]);
    const found: Due[] = [];
    for (const [i, { userId, planned }] of members.entries()) {
      const profile = profiles[i] as ReviewProfile;
      const time = profile.remind ? parseClockTime(profile.remind) : undefined;
      if (!time) continue; // turned off meanwhile
      const was = profile.timeZone ?? deps.defaultTimeZone;
      const zoneGroup = adopted[i]?.zoneGroup ?? profile.zoneGroup ?? null;
      const timeZone = adopted[i]?.timeZone ?? (zoneGroup === null ? undefined : zones.get(zoneGroup)) ?? was;
      const moved = timeZone !== was;
      found.push({ userId, planned, time, timeZone, zoneGroup, moved, store: moved || adopted[i] !== undefined });
    }
    return found;
  }

  /**
   * Due timers at the members' chosen times: for each member with something due today who may be written to,
   * the day's reminder job (once per member and day: a timer run again after a crash adds nothing); then each
   * one's next timer. The reads are pipelined across the batch, the jobs and the timers written in bulk.
   */
  async function remind(timers: readonly TimerEntry[]): Promise<void> {
    const now = clock.now();
    const found = await read(timers);
    // A batch's members mostly share a planned minute and a zone: each day boundary is worked out once.
    const day = memo((planned: number, timeZone: string) => ({ end: endOfLocalDay(planned, timeZone), id: dayIdAt(planned, timeZone) }));
    const next = memo((time: ClockTime, timeZone: string, after: number) => nextDailyAt(time, timeZone, after), (time, timeZone, after) => `${formatClockTime(time)}|${timeZone}|${after}`);
    const onTime = found.filter((d) => !d.moved && now - d.planned <= REMIND_GRACE_MS);
    const counts = await Promise.all(onTime.map((d) => repo.dueCount(d.userId, day(d.planned, d.timeZone).end)));
    const due = onTime.filter((_, i) => (counts[i] ?? 0) > 0);
    const writable = await Promise.all(due.map((d) => mayWrite(d.userId)));
    const send = due.filter((_, i) => writable[i]);
    await deps.outbox.enqueueMany(REMIND_JOB, send.map(({ userId, planned, timeZone }) => {
      const dayId = day(planned, timeZone).id;
      return { id: `${userId}-${dayId}`, payload: { userId, dayId } };
    }));
    await Promise.all(found.filter((d) => d.store).map((d) => repo.setZone(d.userId, d.timeZone, d.zoneGroup)));
    const moved = found.filter((d) => d.moved);
    await deps.timers.setTimers(found.map((d) => timerAt(d.userId, next(d.time, d.timeZone, Math.max(now, d.planned)))));
    log.info({ timers: timers.length, enqueued: send.length, moved: moved.length }, "review reminders ran");
  }

  return {
    /** `/review on HH:MM`: the reminder at that time of the member's day (their group's zone, followed, or the default). */
    async on(userId: number, time: ClockTime, locale: Locale): Promise<{ at: number; timeZone: string }> {
      const zone = await zoneNow(userId);
      await repo.setReminder(userId, formatClockTime(time), zone, locale);
      const at = nextDailyAt(time, zone.timeZone, clock.now());
      await deps.timers.setTimers([timerAt(userId, at)]);
      log.info({ user: userId, at }, "review reminder on");
      return { at, timeZone: zone.timeZone };
    },

    /** `/review off`. */
    async off(userId: number, locale: Locale): Promise<void> {
      await repo.setReminder(userId, undefined, await zoneNow(userId), locale);
      await deps.timers.cancelTimer(timerId(userId));
      log.info({ user: userId }, "review reminder off");
    },

    /** The timer kind `review-remind`: many members' timers at once (they are mostly due at the same few minutes). */
    batch: { batch: remind },

    /** One member's timer (the batch of one). */
    timer: (timer: TimerEntry): Promise<void> => remind([timer]),

    /**
     * A group's time zone changed: the reminders of its members that follow it move to their chosen time in the
     * new zone (the next one fires there, not at the old hour).
     */
    async groupZoneChanged(groupId: number, timeZone: string): Promise<void> {
      const roster = await deps.groups.roster(groupId);
      const profiles = await Promise.all(roster.map((m) => repo.profile(m.userId)));
      const now = clock.now();
      const legacy = await Promise.all(
        roster.map((m, i) => (profiles[i]?.remind && profiles[i]?.zoneGroup === undefined ? zoneNow(m.userId) : undefined)),
      );
      const next: TimerEntry[] = [];
      for (const [i, { userId }] of roster.entries()) {
        const profile = profiles[i] as ReviewProfile;
        const time = profile.remind ? parseClockTime(profile.remind) : undefined;
        const follows = profile.zoneGroup === groupId || legacy[i]?.zoneGroup === groupId;
        if (time && follows && profile.timeZone !== timeZone) next.push(timerAt(userId, nextDailyAt(time, timeZone, now)));
      }
      await Promise.all(next.map((entry) => repo.setZone(Number(entry.payload.userId), timeZone, groupId)));
      await deps.timers.setTimers(next);
      if (next.length > 0) log.info({ group: groupId, reminders: next.length }, "review reminders follow the group's new time zone");
    },
    /** The reminder's message, checked again when it goes (the member may have reviewed or turned it off since). */
    async job(payload: Record<string, unknown>, delivery: Delivery): Promise<void> {
      const userId = Number(payload.userId);
      const profile = await repo.profile(userId);
      if (!profile.remind || !(await mayWrite(userId))) return;
      const due = await repo.dueCount(userId, endOfLocalDay(clock.now(), profile.timeZone ?? deps.defaultTimeZone));
      if (due === 0) return;
      const locale = isLocale(profile.locale) ? profile.locale : deps.defaultLocale;
      await delivery.send("remind", userId, () => deps.api.sendMessage(userId, t(locale, "review-reminder", { due })));
      log.info({ user: userId, due }, "review reminder sent");
    },
  };
}

export type Reminders = ReturnType<typeof createReminders>;
