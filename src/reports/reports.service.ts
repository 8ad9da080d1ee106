import { InputFile } from "grammy";
import { splitTelegramHtml } from "../content/index.js";
import type { GroupInfo } from "../groups/index.js";
import { directDelivery, type Delivery } from "../outbox/index.js";
import { shiftWeek, weekIdAt } from "../shared/week.js";
import { renderWeekChart } from "./chart.js";
import { daysOfWeek, loadWeekStats, type ReportData } from "./group-data.js";
import { buildWorkbook, exportRows, memberSheet, MEMBER_HEADER_KEYS, toCsv } from "./member-export.js";
import type { ConsoleButton } from "./report-sources.js";
import type { ReportsRepository } from "./reports.repository.js";
import { formatWeekStats } from "./stats-format.js";
import { weeksEndingWith } from "./week-arg.js";
import type { GroupWeekStats } from "./week-stats.js";
import { cutGraphemes, cutToUnits } from "../shared/graphemes.js";
import { cannotWritePrivately, isRefused } from "../shared/telegram-errors.js";
import type { Runtime } from "../shared/runtime.js";

export interface ReportsDeps extends ReportData, Runtime {
  repo: ReportsRepository;
  instanceId: string;
  /** The organiser console's button, when it is on. */
  consoleButton?: ConsoleButton;
}

export interface ExportFiles {
  csv: Buffer;
  xlsx: Buffer;
  csvName: string;
  xlsxName: string;
  caption: string;
}

export function createGroupReports(deps: ReportsDeps) {
  const { t, clock } = deps;
  const log = deps.logger.child({ feature: "reports" });
  const direct = directDelivery(deps.pacer);

  async function exportFiles(group: GroupInfo, weekIds: string[]): Promise<ExportFiles> {
    const [roster, names, weeks] = await Promise.all([
      deps.groups.roster(group.id),
      deps.groups.names(group.id),
      Promise.all(weekIds.map((w) => deps.activity.week(group.id, w))),
    ]);
    const headers = MEMBER_HEADER_KEYS.map((k) => t(group.locale, k));
    const total = exportRows(roster, names, weeks);
    const sheets = [memberSheet(t(group.locale, "reports-sheet-summary"), headers, total)];
    // Newest week first: the one an organiser usually wants.
    for (const [i, weekId] of [...weekIds.entries()].reverse()) {
      sheets.push(memberSheet(weekId, headers, exportRows(roster, names, [weeks[i] ?? new Map()])));
    }
    const from = weekIds[0] ?? "";
    const to = weekIds.at(-1) ?? "";
    const base = `sanxue-${Math.abs(group.id)}-${from === to ? from : `${from}_${to}`}`;
    return {
      csv: toCsv(total),
      xlsx: await buildWorkbook(sheets),
      csvName: `${base}.csv`,
      xlsxName: `${base}.xlsx`,
      caption: t(group.locale, "reports-export-caption", { group: cutGraphemes(group.title, 60), weeks: weekIds.length, from, to }),
    };
  }

  function chartOf(group: GroupInfo, stats: GroupWeekStats, days: Record<string, number>[]): Promise<Buffer> {
    const tr = (key: string, vars?: Record<string, string | number>) => t(group.locale, key, vars);
    const kinds = [
      ["reports-chart-studied", "lessons_studied"],
      ["reports-chart-signins", "signins"],
      ["reports-chart-quiz", "quiz_answers"],
      ["reports-chart-questions", "questions_asked"],
    ] as const;
    return renderWeekChart(
      {
        title: tr("reports-chart-title", { group: cutGraphemes(group.title, 16), week: stats.weekId }),
        days: [1, 2, 3, 4, 5, 6, 7].map((d) => tr(`reports-weekday-${d}`)),
        series: kinds.map(([key, counter]) => ({ name: tr(key), values: days.map((d) => d[counter] ?? 0) })),
        lessonsTitle: tr("reports-chart-lessons-title"),
        lessons: stats.lessons.map((l) => ({ title: l.title, share: l.share })),
        noLessons: tr("reports-chart-no-lessons"),
      },
      log,
    );
  }

  /** The export to the organiser's private chat; false when Telegram says the bot may not write there (403). */
  async function exportPrivately(group: GroupInfo, userId: number, weeks: number): Promise<boolean> {
    try {
      // The cheapest way to ask "may I write to them?" before building the files.
      await deps.api.sendChatAction(userId, "upload_document");
      const weekIds = weeksEndingWith(weekIdAt(clock.now(), group.timeZone), weeks);
      await sendFiles(userId, await exportFiles(group, weekIds), ["xlsx", "csv"]);
      return true;
    } catch (err) {
      if (cannotWritePrivately(err)) return false;
      throw err;
    }
  }

  async function sendFiles(chatId: number, files: ExportFiles, which: ("xlsx" | "csv")[]): Promise<void> {
    for (const kind of which) {
      const [bytes, name] = kind === "xlsx" ? [files.xlsx, files.xlsxName] : [files.csv, files.csvName];
      await deps.pacer(() => deps.api.sendDocument(chatId, new InputFile(bytes, name), { caption: cutToUnits(files.caption, 1000) }));
    }
  }

  return {
    /** A group's week, with every section the data allows. */
    weekStats: (group: GroupInfo, weekId: string) => loadWeekStats(deps, group, weekId, clock.now()),

    /** The /stats text of a group's week. */
    async statsText(group: GroupInfo, weekId: string): Promise<string> {
      return formatWeekStats(await loadWeekStats(deps, group, weekId, clock.now()), t, group.locale, group.timeZone);
    },

    exportFiles,

    /**
     * /export: the files go to the organiser in private, never to the group. When Telegram refuses the private
     * chat (never started, or blocked) the request waits in Redis until they press Start (`exportFromLink`).
     */
    async deliverExport(group: GroupInfo, userId: number, weeks: number): Promise<"private" | "pending"> {
      if (await exportPrivately(group, userId, weeks)) return "private";
      await deps.repo.savePendingExport(group.id, userId, weeks);
      log.info({ group: group.id, user: userId }, "organiser not reachable privately; the export waits for Start");
      return "pending";
    },

    /** The organiser pressed Start on an export's deep link: send what they asked for, if they still may see it. */
    async exportFromLink(groupId: number, userId: number): Promise<"sent" | "none" | "not-organiser" | "unreachable"> {
      const weeks = await deps.repo.takePendingExport(groupId, userId);
      if (weeks === undefined) return "none";
      const group = await deps.groups.get(groupId);
      if (!group) return "none";
      if (!(await deps.groups.isOrganiserNow(groupId, userId))) return "not-organiser";
      let sent: boolean;
      try {
        sent = await exportPrivately(group, userId, weeks);
      } catch (err) {
        await deps.repo.savePendingExport(groupId, userId, weeks); // a network failure must not cost the request
        throw err;
      }
      if (!sent) await deps.repo.savePendingExport(groupId, userId, weeks);
      return sent ? "sent" : "unreachable";
    },

    /**
     * /stats: the group's text without members' names; when there are names (most active, inactive), the full
     * text goes to the organiser privately. `names` says which happened.
     */
    async statsForGroup(group: GroupInfo, weekId: string, userId: number): Promise<{ text: string; names: "none" | "private" | "unreachable" }> {
      const stats = await loadWeekStats(deps, group, weekId, clock.now());
      const text = formatWeekStats(stats, t, group.locale, group.timeZone, { names: false });
      if (stats.top.length === 0 && stats.inactive.length === 0) return { text, names: "none" };
      const locale = (await deps.groups.user(userId))?.locale ?? group.locale;
      try {
        const parts = splitTelegramHtml(formatWeekStats(stats, t, locale, group.timeZone));
        const button = deps.consoleButton?.({ chat: "private", locale, groupId: group.id });
        for (const [i, part] of parts.entries()) {
          const markup = i === parts.length - 1 && button ? { reply_markup: button } : {};
          await deps.pacer(() => deps.api.sendMessage(userId, part, { parse_mode: "HTML", link_preview_options: { is_disabled: true }, ...markup }));
        }
        return { text, names: "private" };
      } catch (err) {
        if (!cannotWritePrivately(err)) throw err;
        return { text, names: "unreachable" };
      }
    },

    /**
     * The Monday report of the week before `slotAt` to each administrator who started the bot; once per person and
     * week. Through an outbox `delivery` each part (text, chart, workbook) is keyed per organiser, so a retried job
     * sends only the parts that had not gone out.
     */
    async sendWeeklyReport(group: GroupInfo, slotAt: number, delivery: Delivery = direct): Promise<{ sent: number[]; skipped: number[] }> {
      const durable = delivery !== direct;
      const weekId = shiftWeek(weekIdAt(slotAt, group.timeZone), -1);
      const admins = await deps.groups.humanAdmins(group.id);
      const reachable: number[] = [];
      const skipped: number[] = [];
      for (const id of admins) ((await deps.groups.user(id))?.privateOk ? reachable : skipped).push(id);
      const sent: number[] = [];
      if (reachable.length === 0) return { sent, skipped };
      const stats = await loadWeekStats(deps, group, weekId, clock.now());
      const days = await Promise.all(daysOfWeek(weekId).map((d) => deps.activity.day(group.id, d)));
      const text = `${t(group.locale, "reports-weekly-intro")}\n${formatWeekStats(stats, t, group.locale, group.timeZone)}`;
      const button = deps.consoleButton?.({ chat: "private", locale: group.locale, groupId: group.id });
      const png = await chartOf(group, stats, days);
      const files = await exportFiles(group, [weekId]);
      const owner = durable ? delivery.id : deps.instanceId;
      for (const userId of reachable) {
        if (!(await deps.repo.claimDelivery(group.id, weekId, userId, owner, durable))) continue;
        try {
          await delivery.send(`${userId}:text`, userId, () =>
            deps.api.sendMessage(userId, text, { parse_mode: "HTML", link_preview_options: { is_disabled: true }, ...(button ? { reply_markup: button } : {}) }),
          );
          await delivery.send(`${userId}:png`, userId, () => deps.api.sendPhoto(userId, new InputFile(png, `sanxue-${weekId}.png`)));
          await delivery.send(`${userId}:xlsx`, userId, () =>
            deps.api.sendDocument(userId, new InputFile(files.xlsx, files.xlsxName), { caption: cutToUnits(files.caption, 1000) }),
          );
          sent.push(userId);
        } catch (err) {
          // A job keeps its claim and is retried (429, 5xx, network); an organiser Telegram refuses is given back.
          const refused = isRefused(err);
          if (durable && !refused) throw err;
          await deps.repo.releaseDelivery(group.id, weekId, userId);
          log.warn({ err, group: group.id, user: userId, week: weekId }, "could not send the weekly report");
        }
      }
      log.info({ group: group.id, week: weekId, sent: sent.length, skipped: skipped.length }, "weekly report");
      return { sent, skipped };
    },
  };
}

export type GroupReports = ReturnType<typeof createGroupReports>;
