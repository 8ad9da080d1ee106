import { Composer } from "../shared/composer.js";
import type { BotContext } from "../shared/context.js";
import { inGroup, isOrganiserHere, refuse, type GroupsService } from "../groups/index.js";
import { decodeCallback } from "../shared/callback-data.js";
import { describeCron } from "./cron-words.js";
import { editInPlace, tOf } from "./reply-helpers.js";
import { parseFlowEvent } from "./schedule-flow.js";
import { flowKeyboard, flowText, SCHEDULE_PREFIX, scheduleKeyboard } from "./schedule.keyboards.js";
import { scheduleText } from "./schedule-view.js";
import { loadSlotMaths } from "../schedule/index.js";
import type { SettingsService } from "./settings.service.js";
import { cutToUnits } from "../shared/graphemes.js";
import type { GroupInfo } from "../groups/index.js";
import type { T } from "./cron-words.js";

/** More lines for /schedule from a later feature, in the reader's language (`organiser`: may change things). */
export type ScheduleSection = (group: GroupInfo, t: T, organiser: boolean) => Promise<string[]>;

/** /schedule: anyone sees the schedule in words; administrators change a track's time with buttons. */
export function createScheduleComposer(
  settings: SettingsService,
  groups: GroupsService,
  sections: () => readonly ScheduleSection[] = () => [],
): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  /** The schedule in words and what later features add under it. */
  async function fullText(t: T, group: GroupInfo, organiser: boolean): Promise<string> {
    const extra = (await Promise.all(sections().map((section) => section(group, t, organiser)))).flat();
    const text = scheduleText(t, group, settings.now(), await loadSlotMaths());
    return extra.length > 0 ? `${text}\n\n${extra.join("\n")}` : text;
  }

  // `/schedule pin 2` and the like go on to the feature that orders elective lessons (when there is one).
  const handsOn = (ctx: { match: string }) => ctx.match.trim() !== "" && sections().length > 0;
  composer.command("schedule").filter((ctx) => !handsOn(ctx), inGroup(async (ctx) => {
    const group = ctx.group;
    const t = tOf(ctx);
    const admin = await isOrganiserHere(groups, ctx);
    await ctx.reply(await fullText(t, group, admin), {
      parse_mode: "HTML",
      reply_markup: admin ? scheduleKeyboard(t, group) : undefined,
    });
  }));

  composer.callbackQuery(new RegExp(`^${SCHEDULE_PREFIX}:`), async (ctx) => {
    const parts = decodeCallback(ctx.callbackQuery.data, SCHEDULE_PREFIX, 3);
    const group = ctx.group;
    const messageId = ctx.msg?.message_id;
    const expired = () => ctx.answerCallbackQuery({ text: ctx.t("settings-schedule-expired") });
    if (!parts || !group || messageId === undefined || Number(parts[0]) !== group.id) return expired();
    if (!(await isOrganiserHere(groups, ctx))) return refuse(ctx, { alert: "settings-schedule-not-admin" });
    const [, action = "", arg = ""] = parts;
    const t = tOf(ctx);
    if (action === "e") {
      const flow = await settings.startFlow(group.id, messageId);
      await editInPlace(ctx, flowText(t, flow), flowKeyboard(t, group, flow));
      return ctx.answerCallbackQuery();
    }
    const event = parseFlowEvent(action, arg);
    if (!event) return expired();
    const outcome = await settings.pressFlow(group.id, messageId, event);
    switch (outcome.kind) {
      case "expired":
      case "invalid":
        return expired();
      case "need-day":
        return ctx.answerCallbackQuery({ text: ctx.t("settings-schedule-pick-a-day") });
      case "next":
        await editInPlace(ctx, flowText(t, outcome.flow), flowKeyboard(t, outcome.group, outcome.flow));
        return ctx.answerCallbackQuery();
      case "cancelled":
        await editInPlace(ctx, await fullText(t, outcome.group, true), scheduleKeyboard(t, outcome.group));
        return ctx.answerCallbackQuery({ text: ctx.t("settings-schedule-cancelled") });
      case "saved": {
        await editInPlace(ctx, await fullText(t, outcome.group, true), scheduleKeyboard(t, outcome.group));
        const text = ctx.t("settings-schedule-saved", { track: ctx.t(`lessons-track-${outcome.track}`), when: describeCron(t, outcome.cron) });
        return ctx.answerCallbackQuery({ text: cutToUnits(text, 200) });
      }
    }
  });

  return composer;
}
