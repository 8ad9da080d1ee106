import type { Api } from "grammy";
import type { Config } from "../config/config.js";
import type { Curriculum } from "../content/types.js";
import { createActivityRepository, type ActivityRepository } from "../activity/index.js";
import { createGroupsRepository, createGroupsService, type GroupsService } from "../groups/index.js";
import { createLessonsRepository, createLessonsService, lessonSlots, type LessonPushedHook, type LessonsService } from "../lessons/index.js";
import { createReportsRepository, createReportsService, weeklyReportSlots, type ReportSources, type ReportsService } from "../reports/index.js";
import { createScheduleRepository, createScheduler, type Scheduler, type SlotSource, type TimerHandler } from "../schedule/index.js";
import type { Clock } from "../shared/clock.js";
import type { Translate } from "../shared/i18n.js";
import type { Logger } from "../shared/logger.js";
import type { Pacer } from "../shared/pacer.js";
import type { Redis } from "../shared/redis.js";

export interface Infra {
  config: Config;
  logger: Logger;
  redis: Redis;
  api: Api;
  curriculum: Curriculum;
  clock: Clock;
  pacer: Pacer;
  t: Translate;
  instanceId: string;
}

export interface Services {
  activity: ActivityRepository;
  groups: GroupsService;
  lessons: LessonsService;
  reports: ReportsService;
  scheduler: Scheduler;
}

/** Builds every feature's service over the shared infrastructure, and the scheduler that drives them. */
export function createServices(infra: Infra): Services {
  const { config, logger, redis, api, curriculum, clock, pacer, t } = infra;
  const activity = createActivityRepository(redis);
  const groups = createGroupsService({
    repo: createGroupsRepository(redis),
    api,
    clock,
    logger,
    config: {
      defaultLocale: config.defaultLocale,
      defaultTimeZone: config.defaultTimezone,
      organizerIds: config.organizerIds,
      defaultSchedule: curriculum.schedule,
    },
  });
  const onPushed: LessonPushedHook[] = [];
  const lessons = createLessonsService({
    repo: createLessonsRepository(redis),
    activity,
    groups,
    curriculum,
    api,
    t,
    pacer,
    clock,
    logger,
    onPushed,
  });
  // Sign-ins, quizzes and questions add their providers here when they land.
  const reportSources: ReportSources = {};
  const reports = createReportsService({
    repo: createReportsRepository(redis),
    activity,
    groups,
    lessons,
    lessonTitle: (id) => curriculum.byId.get(id)?.title ?? id,
    sources: reportSources,
    api,
    t,
    pacer,
    clock,
    logger,
    instanceId: infra.instanceId,
    defaultTimeZone: config.defaultTimezone,
  });
  const sources: SlotSource[] = [lessonSlots(lessons, logger), weeklyReportSlots(reports)];
  const timerHandlers: Record<string, TimerHandler> = {};
  const scheduler = createScheduler({
    repo: createScheduleRepository(redis),
    activeGroups: () => groups.activeGroups(),
    sources,
    timerHandlers,
    clock,
    logger,
    graceMs: config.catchupGraceMinutes * 60_000,
    instanceId: infra.instanceId,
  });
  return { activity, groups, lessons, reports, scheduler };
}
