import { InputFile } from "grammy";
import { Composer } from "../shared/composer.js";
import type { BotContext } from "../shared/context.js";
import { escapeHtml, splitTelegramHtml } from "../content/index.js";
import { NOT_ADMIN, requireOrganiser, type GroupsService } from "../groups/index.js";
import { localeOf } from "../shared/i18n.js";
import type { ReportsService } from "./reports.api.js";
import { parseWeekArg, parseWeeksCount } from "./week-arg.js";
import { cutGraphemes } from "../shared/graphemes.js";
import { handoffKeyboard, handoffPayload, parseHandoff } from "../shared/private-handoff.js";

/** The deep-link kind of an export that could not go privately. */
export const EXPORT_KIND = "export";

/** The /start payload of an export's deep link. */
const exportPayload = (groupId: number) => handoffPayload(EXPORT_KIND, groupId);

function exportGroupOf(payload: string): number | undefined {
  const p = parseHandoff(EXPORT_KIND, payload);
  return p && p.id === undefined ? p.groupId : undefined;
}

/** /stats and /export for a group's administrators; /report and /groups for county organisers, in private. */
/** More HTML messages for /report, in the reader's language (`t` is theirs). */
export type CountySection = (t: (key: string, vars?: Record<string, string | number>) => string) => Promise<string[]>;

export function createReportsComposer(reports: ReportsService, groups: GroupsService, sections: () => readonly CountySection[] = () => []): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  async function countyInPrivate(ctx: BotContext): Promise<boolean> {
    if (!ctx.from || !groups.isCountyOrganiser(ctx.from.id)) {
      await ctx.reply(ctx.t("reports-not-county"));
      return false;
    }
    if (ctx.chat?.type !== "private") {
      await ctx.reply(ctx.t("reports-private-only"));
      return false;
    }
    return true;
  }

  composer.command("stats", requireOrganiser(groups, NOT_ADMIN, async (ctx) => {
    const input = cutGraphemes(ctx.match.trim(), 40, "");
    const week = parseWeekArg(input, reports.now(), ctx.group.timeZone);
    if (!week.ok) {
      return ctx.reply(ctx.t(week.reason === "format" ? "reports-week-bad" : "reports-week-future", { input: escapeHtml(input) }), { parse_mode: "HTML" });
    }
    const { text, names } = await reports.statsForGroup(ctx.group, week.weekId, ctx.from.id);
    const notes = [text];
    if (names === "private") notes.push(ctx.t("reports-stats-names-sent"));
    else if (names === "unreachable") notes.push(ctx.t("reports-stats-names-start-hint"));
    // The Monday report only reaches organisers who started the bot: say so rather than fail silently.
    else if (!(await groups.user(ctx.from.id))?.privateOk) notes.push(ctx.t("reports-weekly-start-hint"));
    const button = reports.consoleButton({ chat: "group", locale: ctx.group.locale, groupId: ctx.group.id, botUsername: ctx.me.username });
    await ctx.reply(notes.join("\n\n"), { parse_mode: "HTML", link_preview_options: { is_disabled: true }, ...(button ? { reply_markup: button } : {}) });
  }));

  // Members' records never go into a group: privately, or a deep link that brings them there after Start.
  composer.command("export", requireOrganiser(groups, NOT_ADMIN, async (ctx) => {
    const weeks = parseWeeksCount(ctx.match);
    if (weeks === null) return ctx.reply(ctx.t("reports-export-bad"));
    const where = await reports.deliverExport(ctx.group, ctx.from.id, weeks);
    if (where === "private") return ctx.reply(ctx.t("reports-export-sent-private"));
    await ctx.reply(ctx.t("reports-export-open-private"), {
      reply_markup: handoffKeyboard(ctx.me.username, exportPayload(ctx.group.id), ctx.t("reports-export-open-button")),
    });
  }));

  composer.command("start", async (ctx, next) => {
    const groupId = ctx.chat?.type === "private" ? exportGroupOf(ctx.match) : undefined;
    if (groupId === undefined || !ctx.from) return next();
    const result = await reports.exportFromLink(groupId, ctx.from.id);
    if (result !== "sent") await ctx.reply(ctx.t(`reports-export-link-${result}`));
  });

  composer.command("report", async (ctx) => {
    if (!(await countyInPrivate(ctx))) return;
    const input = cutGraphemes(ctx.match.trim(), 40, "");
    const week = parseWeekArg(input, reports.now(), reports.timeZone);
    if (!week.ok) {
      const key = week.reason === "format" ? "reports-week-bad" : "reports-week-future";
      return ctx.reply(ctx.t(key, { input: escapeHtml(input) }).replaceAll("/stats", "/report"), { parse_mode: "HTML" });
    }
    const locale = localeOf(ctx);
    const { text, xlsx } = await reports.countyReport(week.weekId, locale);
    const button = reports.consoleButton({ chat: "private", locale });
    await ctx.reply(text, { parse_mode: "HTML", ...(button ? { reply_markup: button } : {}) });
    const say = (key: string, vars?: Record<string, string | number>) => ctx.t(key, vars);
    for (const section of sections()) {
      for (const part of await section(say)) {
        for (const piece of splitTelegramHtml(part)) await ctx.reply(piece, { parse_mode: "HTML" });
      }
    }
    if (xlsx) await ctx.replyWithDocument(new InputFile(xlsx, `sanxue-county-${week.weekId}.xlsx`));
  });

  composer.command("groups", async (ctx) => {
    if (!(await countyInPrivate(ctx))) return;
    for (const page of await reports.groupsList(localeOf(ctx))) await ctx.reply(page, { parse_mode: "HTML" });
  });

  return composer;
}
