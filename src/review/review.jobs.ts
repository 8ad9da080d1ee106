import type { GroupsService } from "../groups/index.js";
import type { Delivery, Outbox } from "../outbox/index.js";
import type { ScheduleRepository, TimerEntry } from "../schedule/index.js";
import { isLocale, type Locale } from "../shared/i18n.js";
import type { Runtime } from "../shared/runtime.js";
import { dayIdAt } from "../shared/week.js";
import type { ReviewRepository } from "./review.repository.js";
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
  groups: Pick<GroupsService, "user">;
  timers: Pick<ScheduleRepository, "setTimer" | "cancelTimer">;
  outbox: Pick<Outbox, "enqueue">;
  defaultTimeZone: string;
  defaultLocale: Locale;
}

const timerId = (userId: number) => `${REMIND_TIMER}:${userId}`;

export function createReminders(deps: RemindersDeps) {
  const { repo, clock, t } = deps;
  const log = deps.logger.child({ feature: "review" });

  async function schedule(userId: number, time: { hour: number; minute: number }, timeZone: string, after: number): Promise<number> {
    const at = nextDailyAt(time, timeZone, after);
    await deps.timers.setTimer({ id: timerId(userId), kind: REMIND_TIMER, at, payload: { userId, at } });
    return at;
  }

  /** Someone who never started the bot (or blocked it) is never written to. */
  const mayWrite = async (userId: number) => (await deps.groups.user(userId))?.privateOk === true;

  return {
    /** `/review on HH:MM`: the reminder at that time of the member's day (their group's zone, or the default). */
    async on(userId: number, time: { hour: number; minute: number }, locale: Locale): Promise<{ at: number; timeZone: string }> {
      const timeZone = deps.review.zoneOf(await deps.review.memberGroups(userId));
      await repo.setReminder(userId, formatClockTime(time), timeZone, locale);
      const at = await schedule(userId, time, timeZone, clock.now());
      log.info({ user: userId, at }, "review reminder on");
      return { at, timeZone };
    },

    /** `/review off`. */
    async off(userId: number, locale: Locale): Promise<void> {
      const timeZone = deps.review.zoneOf(await deps.review.memberGroups(userId));
      await repo.setReminder(userId, undefined, timeZone, locale);
      await deps.timers.cancelTimer(timerId(userId));
      log.info({ user: userId }, "review reminder off");
    },

    /**
     * The timer at the member's chosen time: when something is due today and the member may be written to, the
     * day's reminder job (enqueued once per day: a timer run again after a crash adds nothing); then tomorrow's timer.
     */
    async timer(timer: TimerEntry): Promise<void> {
      const userId = Number(timer.payload.userId);
      const planned = Number(timer.payload.at);
      const profile = await repo.profile(userId);
      const time = profile.remind ? parseClockTime(profile.remind) : undefined;
      if (!time) return; // turned off meanwhile
      const timeZone = profile.timeZone ?? deps.defaultTimeZone;
      const now = clock.now();
      if (now - planned <= REMIND_GRACE_MS && (await repo.dueCount(userId, endOfLocalDay(planned, timeZone))) > 0 && (await mayWrite(userId))) {
        const dayId = dayIdAt(planned, timeZone);
        await deps.outbox.enqueue(REMIND_JOB, `${userId}-${dayId}`, { userId, dayId });
      }
      await schedule(userId, time, timeZone, Math.max(now, planned));
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
