import type { Locale } from "../shared/i18n.js";
import { countyRanking, countyWorkbook, formatCountyReport, formatGroupsList } from "./county-report.js";
import type { GroupInfo } from "../groups/index.js";
import { loadParticipation } from "./group-data.js";
import type { ConsoleButtonPlace } from "./report-sources.js";
import { createGroupReports, type ReportsDeps } from "./reports.service.js";

/** The reports feature's API: group statistics and exports, the Monday report, the county overview. */
export function createReportsService(deps: ReportsDeps & { defaultTimeZone: string }) {
  const group = createGroupReports(deps);
  return {
    ...group,
    /** The console's button for a report message, when the console is on. */
    consoleButton: (place: ConsoleButtonPlace) => deps.consoleButton?.(place),
    /** Time zone of county-wide weeks (/report). */
    timeZone: deps.defaultTimeZone,
    now: () => deps.clock.now(),

    /** /report: every group ranked by participation, as text and a workbook (none when there are no groups). */
    async countyReport(weekId: string, locale: Locale): Promise<{ text: string; xlsx?: Buffer }> {
      const rows = await countyRanking(deps, weekId);
      const text = formatCountyReport(rows, weekId, deps.t, locale);
      return rows.length === 0 ? { text } : { text, xlsx: await countyWorkbook(rows, weekId, deps.t, locale) };
    },

    /** /report's rows: every active group ranked by participation (the console's county view reads the same). */
    countyRanking: (weekId: string) => countyRanking(deps, weekId),

    /** A group's participation index and its parts in each of `weekIds` (the county view's trends). */
    participationWeeks: (group: GroupInfo, weekIds: string[]) => loadParticipation(deps, group, weekIds),

    /** /groups: pages of the groups list. */
    groupsList: (locale: Locale) => formatGroupsList(deps, deps.t, locale),
  };
}

export type ReportsService = ReturnType<typeof createReportsService>;
