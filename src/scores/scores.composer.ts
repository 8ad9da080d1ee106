import { Composer } from "../shared/composer.js";
import type { BotContext } from "../shared/context.js";
import { escapeHtml } from "../content/index.js";
import { displayName, inGroup } from "../groups/index.js";
import { localeOf, type Translate } from "../shared/i18n.js";
import { formatBoard } from "./leaderboard.js";
import type { BoardScope, ScoresService } from "./scores.service.js";
import { formatMe, formatMyGroups } from "./scores.texts.js";
import { cutGraphemes } from "../shared/graphemes.js";
import type { FeatureHooks } from "../shared/feature.js";

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
export function createScoresComposer(scores: ScoresService, memberLines: () => readonly FeatureHooks["memberLines"][] = () => []): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  /** What other features add to /me (spaced review: questions due, streak). */
  const extras = async (ctx: BotContext, userId: number): Promise<string[]> =>
    (await Promise.all(memberLines().map((lines) => lines(userId, (key, vars) => ctx.t(key, vars))))).flat();

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
      const [line, more] = await Promise.all([scores.me(ctx.group, ctx.from.id), extras(ctx, ctx.from.id)]);
      return ctx.reply([formatMe(t, localeOf(ctx), displayName(ctx.from), line), ...more].join("\n"), {
        parse_mode: "HTML",
        reply_parameters: { message_id: ctx.msgId ?? 0, allow_sending_without_reply: true },
      });
    }
    if (ctx.chat.type !== "private") return ctx.reply(ctx.t("groups-only-in-group"));
    const [entries, more] = await Promise.all([scores.myGroups(ctx.from.id), extras(ctx, ctx.from.id)]);
    const mine = formatMyGroups(t, localeOf(ctx), entries.map((e) => ({ title: e.group.title, line: e.line })));
    await ctx.reply([mine, ...more].join("\n"), { parse_mode: "HTML" });
  });

  return composer;
}
