import type { Api } from "grammy";
import pino from "pino";
import { DEFAULT_SCHEDULE } from "../../src/content/index.js";
import { createGroupsRepository, createGroupsService, type GroupsConfig, type GroupsService } from "../../src/groups/index.js";
import type { Clock } from "../../src/shared/clock.js";
import type { Logger } from "../../src/shared/logger.js";
import type { RedisClient } from "../../src/shared/redis.js";

/**
 * The groups service over a real Redis, as the bot builds it, for tests of a feature that needs
 * groups but not the whole app. The defaults are the bot's own: zh, Asia/Shanghai, the default
 * schedule, no organisers.
 */
export function groupsServiceFor(
  redis: RedisClient,
  opts: { api?: Api; clock?: Clock; logger?: Logger; config?: Partial<GroupsConfig> } = {},
): GroupsService {
  return createGroupsService({
    repo: createGroupsRepository(redis),
    // Registration and settings changes never call Telegram; a test that checks members passes its own.
    api: opts.api ?? ({} as Api),
    clock: opts.clock ?? { now: () => Date.now() },
    logger: opts.logger ?? pino({ level: "silent" }),
    config: { defaultLocale: "zh", defaultTimeZone: "Asia/Shanghai", organizerIds: [], defaultSchedule: DEFAULT_SCHEDULE, ...opts.config },
  });
}
