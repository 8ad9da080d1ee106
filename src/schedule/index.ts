export { createScheduleRepository, SLOT_LEASE_MS, TIMER_LEASE_MS, type LeasedTimer, type ScheduleRepository, type TimerEntry } from "./schedule.repository.js";
export { createScheduler, type Scheduler, type SlotSpec, type SlotSource, type TimerHandler } from "./scheduler.jobs.js";
export type { ScheduledGroup } from "./scheduled-groups.js";
export { loadSlotMaths, type SlotMaths } from "./slot-maths.js";
