import type { ActivityRepository } from "../activity/index.js";
import type { GroupsService } from "../groups/index.js";
import type { ScheduleRepository } from "../schedule/index.js";
import type { Runtime } from "../shared/runtime.js";
import type { Timers } from "./edit-coalescer.js";
import type { SigninsRepository } from "./signins.repository.js";

/** What the sign-ins service and its parts (closing, queries, the list hand-off) are built on. */
export interface SigninsDeps extends Runtime {
  repo: SigninsRepository;
  activity: ActivityRepository;
  groups: GroupsService;
  schedule: ScheduleRepository;
  /** Names this instance in the live-count edit claim (any string; only for reading Redis by hand). */
  instanceId: string;
  editIntervalMs?: number;
  timers?: Timers;
}
