import type { Api } from "grammy";
import type { Config } from "../config/config.js";
import type { Curriculum } from "../content/types.js";
import { createActivityRepository, type ActivityRepository } from "../activity/index.js";
import {
  createGroupMover,
  createGroupMoveRepository,
  createGroupsRepository,
  createGroupsService,
  followUpgradedGroups,
  type GroupMover,
  type GroupsService,
} from "../groups/index.js";
import { createLessonsRepository, createLessonsService, lessonJob, lessonSlots, LESSON_JOB, type LessonPushedHook, type LessonsService } from "../lessons/index.js";
import {
  createPracticeRepository,
  createPracticeService,
  createQuizzesRepository,
  createQuizzesService,
  QUIZ_CLOSE_TIMER,
  QUIZ_LESSON_TIMER,
  QUIZ_LESSON_JOB,
  type PracticeService,
  type QuizzesService,
} from "../quizzes/index.js";
import { createScoresService, type ScoresService } from "../scores/index.js";
import { ANSWER_JOB, createQuestionsFeature, createQuestionsRepository, questionReminderHandler, REMINDER_TIMER, type QuestionsFeature } from "../questions/index.js";
import { createReportsRepository, createReportsService, weeklyReportSlots, weeklyReportJob, REPORT_JOB, type ReportSources, type ReportsService } from "../reports/index.js";
import { createScheduleRepository, createScheduler, type Scheduler, type SlotSource, type TimerHandler } from "../schedule/index.js";
import { CLOSE_TIMER_KIND, createSigninsRepository, createSigninsService, signinCloseTimer, signinWithLesson, type SigninsService } from "../signins/index.js";
import { createSettingsRepository, createSettingsService, type SettingsService } from "../settings/index.js";
import { API_CALL_JOB, apiCallJob, createOutbox, createPacingRepository, deferLongRateLimits, type Outbox } from "../outbox/index.js";
import { GROUP_MESSAGES_PER_MINUTE } from "../floods/index.js";
import { createSurveysRepository, createSurveysService, type SurveysService } from "../surveys/index.js";
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
  signins: SigninsService;
  quizzes: QuizzesService;
  practice: PracticeService;
  scores: ScoresService;
  questions: QuestionsFeature;
  settings: SettingsService;
  surveys: SurveysService;
  reports: ReportsService;
  scheduler: Scheduler;
  outbox: Outbox;
  /** Moves a group upgraded to a supergroup, with every feature's part. */
  mover: GroupMover;
}

/** Builds every feature's service over the shared infrastructure, and the scheduler that drives them. */
export function createServices(infra: Infra): Services {
  const { config, logger, redis, api, curriculum, clock, pacer, t } = infra;
  const activity = createActivityRepository(redis);
  const groupsRepo = createGroupsRepository(redis);
  const moves = createGroupMoveRepository(redis);
  const groups = createGroupsService({
    repo: groupsRepo,
    moves,
    api,
    clock,
    logger,
    config: {
      defaultLocale: config.defaultLocale,
      defaultTimeZone: config.defaultTimezone,
      organizerIds: config.organizerIds,
      defaultSchedule: curriculum.schedule,
      expertsChatId: config.expertsChatId,
    },
  });
  const outbox = createOutbox({ redis, pacing: createPacingRepository(redis), logger, perSecond: 28, perGroupPerMinute: GROUP_MESSAGES_PER_MINUTE, concurrency: 8 });
  // Outermost transformer, around auto-retry: a 429 it will not wait out becomes a delayed outbox job.
  api.config.use(deferLongRateLimits(outbox, logger));
  outbox.register(API_CALL_JOB, apiCallJob(api));
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
  const schedule = createScheduleRepository(redis);
  const signins = createSigninsService({ repo: createSigninsRepository(redis), activity, groups, schedule, api, t, pacer, clock, logger });
  const quizzesRepo = createQuizzesRepository(redis);
  const quizzes = createQuizzesService({ repo: quizzesRepo, schedule, activity, groups, lessons, curriculum, api, t, pacer, clock, logger, outbox });
  const practice = createPracticeService({ repo: createPracticeRepository(redis), polls: quizzesRepo, curriculum, api, t, pacer, clock, logger });
  const scores = createScoresService({ activity, groups, clock, streakOf: (groupId, userId) => signins.streak(groupId, userId) });
  onPushed.push(signinWithLesson(signins), quizzes.afterPush);
  const questions = createQuestionsFeature({
    redis,
    outbox,
    activity,
    groups,
    curriculum,
    lessonByRef: lessons.lessonByRef,
    timers: schedule,
    api,
    t,
    clock,
    pacer,
    logger,
    expertsChatId: config.expertsChatId,
    expertsLocale: config.defaultLocale,
    defaultTimeZone: config.defaultTimezone,
  });
  const settings = createSettingsService({ repo: createSettingsRepository(redis), groups, clock, logger });
  const surveysRepo = createSurveysRepository(redis);
  const surveys = createSurveysService({ repo: surveysRepo, groups, curriculum, api, t, pacer, clock, logger });
  const timerHandlers: Record<string, TimerHandler> = {
    [CLOSE_TIMER_KIND]: signinCloseTimer(signins),
    [QUIZ_LESSON_TIMER]: quizzes.lessonTimer,
    [QUIZ_CLOSE_TIMER]: quizzes.closeTimer,
    [REMINDER_TIMER]: questionReminderHandler(questions.questions),
  };
  const reportSources: ReportSources = {
    sessionsOf: (groupId, weekId) => signins.sessionsOf(groupId, weekId),
    questionStats: (groupId, weekId) => quizzes.questionStats(groupId, weekId),
    weekSummary: (groupId, weekId) => questions.weekSummary(groupId, weekId),
  };
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
  outbox.register(LESSON_JOB, lessonJob(lessons, groups));
  outbox.register(REPORT_JOB, weeklyReportJob(reports, groups));
  outbox.register(ANSWER_JOB, (payload, delivery) => questions.answers.relayJob(payload, delivery));
  outbox.register(QUIZ_LESSON_JOB, (payload, delivery) => quizzes.lessonQuizJob(payload, delivery));
  const sources: SlotSource[] = [lessonSlots(outbox), weeklyReportSlots(outbox)];
  const scheduler = createScheduler({
    repo: schedule,
    activeGroups: () => groups.activeGroups(),
    sources,
    timerHandlers,
    clock,
    logger,
    graceMs: config.catchupGraceMinutes * 60_000,
    instanceId: infra.instanceId,
  });
  groups.onChange(() => scheduler.invalidate());
  const mover = createGroupMover({
    repo: moves,
    groups: groupsRepo,
    // What features keep outside the group's own keys; the group's keys are copied by the mover.
    hooks: [quizzesRepo.moveGroup, surveysRepo.moveGroup, createQuestionsRepository(redis).moveGroup, schedule.moveGroup],
    logger,
    onMoved: () => scheduler.invalidate(),
  });
  // Every send through this Api (pushes, outbox jobs, replies) follows a group's upgrade.
  api.config.use(followUpgradedGroups(mover, logger));
  return { activity, groups, lessons, signins, quizzes, practice, scores, questions, settings, surveys, reports, scheduler, outbox, mover };
}
