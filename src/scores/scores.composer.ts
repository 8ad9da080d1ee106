import { Composer } from "grammy";
import type { BotContext } from "../shared/context.js";
import { escapeHtml } from "../content/index.js";
import { displayName, inGroup } from "../groups/index.js";
import { localeOf, type Translate } from "../shared/i18n.js";
import { formatBoard } from "./leaderboard.js";
import type { BoardScope, ScoresService } from "./scores.service.js";
import { formatMe, formatMyGroups } from "./scores.texts.js";
import { cutGraphemes } from "../shared/graphemes.js";

const SCOPES: Record<string, BoardScope> = {
  "": "week",
  week: "week",
  本周: "week",
  周: "week",
  all: "all",
  总: "all",
  总榜: "all",
  全部: "all",
};

/** The feature's formatters take a locale-explicit translator; in an update it is the update's own. */
const translatorFor =
  (ctx: BotContext): Translate =>
  (_locale, key, vars) =>
    ctx.t(key, vars);

/** The leaderboard `/top [week|all]` and the member's own line `/me`. */
export function createScoresComposer(scores: ScoresService): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command("top", inGroup(async (ctx) => {
    const group = ctx.group;
    const arg = ctx.match.trim().toLowerCase();
    const scope = SCOPES[arg];
    if (!scope)
      return ctx.reply(ctx.t("scores-top-usage", { input: escapeHtml(cutGraphemes(arg, 20)) }), {
        parse_mode: "HTML",
      });
    const rows = await scores.board(group, scope);
    const title =
      scope === "week"
        ? ctx.t("scores-board-week", { week: scores.currentWeek(group) })
        : ctx.t("scores-board-all");
    await ctx.reply(formatBoard(translatorFor(ctx), localeOf(ctx), { title, rows, callerId: ctx.from.id }), {
      parse_mode: "HTML",
    });
  }));

  composer.command("me", async (ctx) => {
    if (!ctx.from) return;
    const t = translatorFor(ctx);
    if (ctx.group) {
      const line = await scores.me(ctx.group, ctx.from.id);
      return ctx.reply(formatMe(t, localeOf(ctx), displayName(ctx.from), line), {
        parse_mode: "HTML",
        reply_parameters: { message_id: ctx.msgId ?? 0, allow_sending_without_reply: true },
      });
    }
    if (ctx.chat.type !== "private") return ctx.reply(ctx.t("groups-only-in-group"));
    const entries = await scores.myGroups(ctx.from.id);
    await ctx.reply(
      formatMyGroups(
        t,
        localeOf(ctx),
        entries.map((e) => ({ title: e.group.title, line: e.line })),
      ),
      { parse_mode: "HTML" },
    );
  });

  return composer;
}
