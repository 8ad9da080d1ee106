import { Composer } from "../shared/composer.js";
import type { BotContext } from "../shared/context.js";
import type { Track } from "../content/types.js";
import { NOT_ADMIN, requireOrganiser, type GroupsService } from "../groups/index.js";
import { parseTrack } from "../lessons/index.js";
import type { DemandService } from "./demand.service.js";
import { choiceText } from "./demand.texts.js";

const MAX_ARG = 64;

const ACTIONS: Record<string, "pin" | "skip" | "restore" | "order" | "elective"> = {
  pin: "pin",
  置顶: "pin",
  skip: "skip",
  跳过: "skip",
  restore: "restore",
  unpin: "restore",
  unskip: "restore",
  恢复: "restore",
  order: "order",
  排序: "order",
  elective: "elective",
  electives: "elective",
  选修: "elective",
};

/** `/schedule elective none`: no elective track. */
const NONE = new Set(["none", "off", "无", "不设", "关"]);

/** The tracks typed after `/schedule elective` (names or aliases, by spaces, commas or 、), or undefined when one is no track. */
function parseTracks(words: readonly string[]): Track[] | undefined {
  if (words.length === 1 && NONE.has((words[0] ?? "").toLowerCase())) return [];
  const tracks = words.map(parseTrack);
  return tracks.every((t): t is Track => t !== null) ? tracks : undefined;
}

const SWITCH: Record<string, boolean> = { on: true, 开: true, 开启: true, off: false, 关: false, 关闭: false };

/**
 * `/schedule pin|skip|restore|order|elective …` for a group's organisers (plain `/schedule` is the settings
 * feature's; it hands on what has arguments).
 */
export function createDemandComposer(demand: DemandService, groups: GroupsService): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command("schedule", requireOrganiser(groups, NOT_ADMIN, async (ctx) => {
    const input = ctx.match.trim();
    if (input.length > MAX_ARG) return ctx.reply(ctx.t("demand-usage"));
    const [word = "", arg = "", extra] = input.split(/\s+/);
    const action = ACTIONS[word.toLowerCase()];
    if (action === "elective") {
      const tracks = parseTracks(input.slice(word.length).split(/[\s,，、]+/).filter(Boolean));
      if (!tracks || !arg) return ctx.reply(ctx.t("demand-elective-usage"));
      const chosen = await demand.setElective(ctx.group, tracks);
      ctx.log.info({ group: ctx.group.id, tracks: chosen }, "elective tracks chosen");
      const names = chosen.map((t) => ctx.t(`lessons-track-${t}`)).join("、");
      return ctx.reply(chosen.length > 0 ? ctx.t("demand-elective-set", { tracks: names }) : ctx.t("demand-elective-none"));
    }
    if (!action || !arg || extra !== undefined) return ctx.reply(ctx.t("demand-usage"));
    const say = (key: string, vars?: Record<string, string | number>) => ctx.t(key, vars);
    if (action === "order") {
      const on = SWITCH[arg.toLowerCase()];
      if (on === undefined) return ctx.reply(ctx.t("demand-usage"));
      await demand.setReorder(ctx.group, on);
      ctx.log.info({ group: ctx.group.id, on }, "ordering by demand switched");
      return ctx.reply(ctx.t(on ? "demand-order-on" : "demand-order-off"));
    }
    const result = await demand[action](ctx.group, arg);
    ctx.log.info({ group: ctx.group.id, action, result: result.kind }, "elective lesson choice");
    await ctx.reply(choiceText(say, action, result), { parse_mode: "HTML" });
  }));

  return composer;
}
