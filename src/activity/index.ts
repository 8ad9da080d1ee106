import type { FeatureDefinition } from "../shared/feature.js";
import { createActivityRepository, type ActivityRepository } from "./activity.repository.js";

export { createActivityRepository, ledgerKeys, LEDGER_LUA, type ActivityRepository, type ActivityEvent } from "./activity.repository.js";
export { COUNTERS, type Counter, type Increments } from "./counters.js";
export { recordActivity, ledgerEvent, type RecordInput } from "./activity.service.js";

declare module "../shared/feature.js" {
  interface FeatureApis {
    /** The participation ledger every feature records into. */
    activity: ActivityRepository;
  }
}

/** The participation ledger: no triggers of its own, the other features record into it. */
export const activityFeature: FeatureDefinition = {
  name: "activity",
  create: ({ redis }) => ({ api: { activity: createActivityRepository(redis) } }),
};
