import type { SlotSource } from "../schedule/index.js";
import type { GroupReports } from "./reports.service.js";

/** Each group's weekly report slot (its `weekly_report` cron, in its time zone). */
export function weeklyReportSlots(reports: Pick<GroupReports, "sendWeeklyReport">): SlotSource {
  return (group) => [
    {
      key: "weekly_report",
      cron: group.schedule.weekly_report,
      run: async (g, slotAt) => {
        await reports.sendWeeklyReport(g, slotAt);
      },
    },
  ];
}
