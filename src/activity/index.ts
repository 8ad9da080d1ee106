export { createActivityRepository, type ActivityRepository, type ActivityEvent } from "./activity.repository.js";
export { COUNTERS, type Counter, type Increments } from "./counters.js";
export { recordActivity, type RecordInput } from "./activity.service.js";
