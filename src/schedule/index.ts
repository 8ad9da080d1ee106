export { createScheduleRepository, SLOT_LEASE_MS, TIMER_LEASE_MS, type Lease, type LeasedTimer, type ScheduleRepository, type TimerEntry } from "./schedule.repository.js";
export { createScheduler, type Scheduler, type SlotSpec, type SlotSource } from "./scheduler.jobs.js";
export { TIMER_BATCH, type TimerBatchHandler, type TimerHandler, type TimerKind } from "./timer-runner.js";
export type { ScheduledGroup } from "./scheduled-groups.js";
export { loadSlotMaths, type SlotMaths } from "./slot-maths.js";
