import type { FeatureDefinition } from "../shared/feature.js";
import { createReportsService, type ReportsService } from "./reports.api.js";
import { EXPORT_KIND, createReportsComposer } from "./reports.composer.js";
import { weeklyReportJob, weeklyReportSlots, REPORT_JOB } from "./reports.jobs.js";
import { createReportsRepository } from "./reports.repository.js";
import type { ConsoleButton, ReportSources } from "./report-sources.js";
import type { CountySection } from "./reports.composer.js";

export { createReportsService, type ReportsService } from "./reports.api.js";
export { createReportsRepository, type ReportsRepository } from "./reports.repository.js";
export { findCjkFont } from "./chart.js";
export { parseWeekArg, weeksEndingWith } from "./week-arg.js";
export { weeklyReportSlots, weeklyReportJob, REPORT_JOB } from "./reports.jobs.js";
export { PARTICIPATION_FORMULA_KEY, participationIndex } from "./participation.js";
export type { CountySection } from "./reports.composer.js";
export type { ConsoleButton, ConsoleButtonPlace, ReportSources, SigninSessionStats, QuizQuestionStats, QuestionsWeekSummary, ForgottenQuestionStat } from "./report-sources.js";
export { weekFigures, sessionRate, type GroupWeekStats, type WeekFigures } from "./week-stats.js";
export type { ReportsDeps } from "./reports.service.js";

declare module "../shared/feature.js" {
  interface FeatureApis {
    reports: ReportsService;
  }
  interface FeatureHooks {
    /** What a feature adds to a group's week in /stats and the Monday report (each part optional). */
    reportSources: ReportSources;
    /** More messages for /report from a later feature (the county's needs), in the reader's language. */
    countySection: CountySection;
    /** A button that opens the organiser console, under /stats, /report and the Monday report. */
    consoleButton: ConsoleButton;
  }
}

/** The first provider of each source, looked up when a report is made (the providers are built after reports' deps). */
function sourcesOf(parts: readonly ReportSources[]): ReportSources {
  const first = <K extends keyof ReportSources>(key: K): ReportSources[K] => parts.find((p) => p[key])?.[key];
  return {
    get sessionsOf() {
      return first("sessionsOf");
    },
    get questionStats() {
      return first("questionStats");
    },
    get weekSummary() {
      return first("weekSummary");
    },
    get forgotten() {
      return first("forgotten");
    },
  };
}

/** /stats, /export, the Monday report; /report and /groups for county organisers. */
export const reportsFeature: FeatureDefinition = {
  name: "reports",
  commands: [
    { command: "stats", audiences: ["admin"], description: "cmd-stats", menu: 220 },
    { command: "export", audiences: ["admin"], description: "cmd-export", menu: 230 },
    { command: "report", audiences: ["county"], description: "cmd-report", menu: 240 },
    { command: "groups", audiences: ["county"], description: "cmd-groups", menu: 250 },
  ],
  create(infra, { activity, groups, lessons }) {
    const { config, redis, curriculum, api, t, pacer, clock, logger, outbox, instanceId } = infra;
    const reports = createReportsService({
      repo: createReportsRepository(redis),
      activity,
      groups,
      lessons,
      lessonTitle: (id) => curriculum.byId.get(id)?.title ?? id,
      sources: sourcesOf(infra.hooks("reportSources")),
      api,
      t,
      pacer,
      clock,
      logger,
      instanceId,
      defaultTimeZone: config.defaultTimezone,
      // Read when a report is sent: the console is built after the reports.
      consoleButton: (place) => infra.hooks("consoleButton")[0]?.(place),
    });
    return {
      api: { reports },
      composer: createReportsComposer(reports, groups, () => infra.hooks("countySection")),
      claims: { startPayloads: [EXPORT_KIND] },
      jobs: { [REPORT_JOB]: weeklyReportJob(reports, groups) },
      slots: [weeklyReportSlots(outbox)],
    };
  },
};
