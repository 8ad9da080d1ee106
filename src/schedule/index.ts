export { createScheduleRepository, SLOT_LEASE_MS, TIMER_LEASE_MS, type LeasedTimer, type ScheduleRepository, type TimerEntry } from "./schedule.repository.js";
export { createScheduler, type Scheduler, type SlotSpec, type SlotSource, type TimerHandler } from "./scheduler.jobs.js";
export type { ScheduledGroup } from "./scheduled-groups.js";
export { dueSlot, latestSlot, nextSlot } from "./due-slots.js";
