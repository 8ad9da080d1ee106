import type { GroupsService } from "../groups/index.js";
import type { Outbox, OutboxHandler } from "../outbox/index.js";
import type { SlotSource } from "../schedule/index.js";
import { shiftWeek, weekIdAt } from "../shared/week.js";
import type { GroupReports } from "./reports.service.js";

/** The outbox job kind of a group's Monday report. */
export const REPORT_JOB = "weekly-report";

/** Each group's weekly report slot (its `weekly_report` cron, in its time zone): one outbox job per group and week. */
export function weeklyReportSlots(outbox: Pick<Outbox, "enqueue">): SlotSource {
  return (group) => [
    {
      key: "weekly_report",
      cron: group.schedule.weekly_report,
      run: async (g, slotAt) => {
        const weekId = shiftWeek(weekIdAt(slotAt, g.timeZone), -1);
        await outbox.enqueue(REPORT_JOB, `${g.id}-${weekId}`, { groupId: g.id, slotAt });
      },
    },
  ];
}

/** Sends a group's Monday report from the outbox, to the group's organisers as they are now. */
export function weeklyReportJob(reports: Pick<GroupReports, "sendWeeklyReport">, groups: Pick<GroupsService, "get">): OutboxHandler {
  return async (payload, delivery) => {
    const group = await groups.get(Number(payload.groupId));
    if (!group?.active) return;
    await reports.sendWeeklyReport(group, Number(payload.slotAt), delivery);
  };
}
