import type { Locale } from "../shared/i18n.js";
import { countyRanking, countyWorkbook, formatCountyReport, formatGroupsList } from "./county-report.js";
import { createGroupReports, type ReportsDeps } from "./reports.service.js";

/** The reports feature's API: group statistics and exports, the Monday report, the county overview. */
export function createReportsService(deps: ReportsDeps & { defaultTimeZone: string }) {
  const group = createGroupReports(deps);
  return {
    ...group,
    /** Time zone of county-wide weeks (/report). */
    timeZone: deps.defaultTimeZone,
    now: () => deps.clock.now(),

    /** /report: every group ranked by participation, as text and a workbook (none when there are no groups). */
    async countyReport(weekId: string, locale: Locale): Promise<{ text: string; xlsx?: Buffer }> {
      const rows = await countyRanking(deps, weekId);
      const text = formatCountyReport(rows, weekId, deps.t, locale);
      return rows.length === 0 ? { text } : { text, xlsx: await countyWorkbook(rows, weekId, deps.t, locale) };
    },

    /** /groups: pages of the groups list. */
    groupsList: (locale: Locale) => formatGroupsList(deps, deps.t, locale),
  };
}

export type ReportsService = ReturnType<typeof createReportsService>;
