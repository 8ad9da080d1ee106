import type { Api } from "grammy";
import type { ActivityRepository } from "../activity/index.js";
import type { GroupsService } from "../groups/index.js";
import type { ScheduleRepository } from "../schedule/index.js";
import type { Clock } from "../shared/clock.js";
import type { Translate } from "../shared/i18n.js";
import type { Logger } from "../shared/logger.js";
import type { Pacer } from "../shared/pacer.js";
import type { Timers } from "./edit-coalescer.js";
import type { SigninsRepository } from "./signins.repository.js";

/** What the sign-ins service and its parts (closing, queries, the list hand-off) are built on. */
export interface SigninsDeps {
  repo: SigninsRepository;
  activity: ActivityRepository;
  groups: GroupsService;
  schedule: ScheduleRepository;
  api: Api;
  t: Translate;
  pacer: Pacer;
  clock: Clock;
  logger: Logger;
  editIntervalMs?: number;
  timers?: Timers;
}
