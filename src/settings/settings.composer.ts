import { Composer } from "../shared/composer.js";
import type { BotContext } from "../shared/context.js";
import { TRACKS, type Track } from "../content/types.js";
import { escapeHtml } from "../content/index.js";
import { isOrganiserHere, refuse, requireOrganiser, type GroupInfo, type GroupsService, type Refusal } from "../groups/index.js";
import { decodeCallback } from "../shared/callback-data.js";
import { isLocale } from "../shared/i18n.js";
import { editInPlace, tOf } from "./reply-helpers.js";
import { SETTINGS_PREFIX, settingsKeyboard, settingsText } from "./settings.keyboards.js";
import { TIME_ZONES, TOWN_MAX, type SettingsService } from "./settings.service.js";

const MAX_ARG = 100;
const SETTINGS_NOT_ADMIN: Refusal = { reply: "settings-not-admin" };

function topicOf(ctx: BotContext): number | undefined {
  const msg = ctx.msg;
  return msg?.is_topic_message ? msg.message_thread_id : undefined;
}

/** /settings: language, time zone, tracks and the lessons topic, as buttons that edit the message in place. */
export function createSettingsCommandComposer(settings: SettingsService, groups: GroupsService): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command("settings", requireOrganiser(groups, SETTINGS_NOT_ADMIN, async (ctx) => {
    const group = ctx.group;
    const arg = ctx.match.trim();
    if (arg.length > MAX_ARG) return ctx.reply(ctx.t("settings-too-long"));
    if (arg) {
      const [sub = "", value, ...extra] = arg.split(/\s+/);
      if (sub.toLowerCase() === "town" && value) {
        const town = arg.slice(sub.length);
        const updated = await settings.setTown(group.id, town);
        if (!updated) return ctx.reply(ctx.t("settings-town-invalid", { max: TOWN_MAX }), { parse_mode: "HTML" });
        return ctx.reply(updated.town ? ctx.t("settings-town-saved", { value: escapeHtml(updated.town) }) : ctx.t("settings-town-cleared"), { parse_mode: "HTML" });
      }
      if (sub.toLowerCase() !== "tz" || !value || extra.length > 0) return ctx.reply(ctx.t("settings-usage"));
      const updated = await settings.setTimeZone(group.id, value);
      if (!updated) return ctx.reply(ctx.t("settings-tz-invalid", { input: escapeHtml(value) }), { parse_mode: "HTML" });
      return ctx.reply(ctx.t("settings-tz-saved", { value: escapeHtml(updated.timeZone) }), { parse_mode: "HTML" });
    }
    const t = tOf(ctx);
    await ctx.reply(settingsText(t, group), { parse_mode: "HTML", reply_markup: settingsKeyboard(t, group, topicOf(ctx)) });
  }));

  composer.callbackQuery(new RegExp(`^${SETTINGS_PREFIX}:`), async (ctx) => {
    const parts = decodeCallback(ctx.callbackQuery.data, SETTINGS_PREFIX, 3);
    const group = ctx.group;
    if (!parts || !group || Number(parts[0]) !== group.id) return ctx.answerCallbackQuery({ text: ctx.t("settings-stale") });
    if (!(await isOrganiserHere(groups, ctx))) return refuse(ctx, { alert: "settings-not-admin" });
    const [, action = "", arg = ""] = parts;
    const updated = await apply(settings, group, action, arg, topicOf(ctx));
    if (!updated) return ctx.answerCallbackQuery({ text: ctx.t("settings-stale") });
    // The message re-renders in the group's language as it is now (it may just have changed).
    ctx.group = updated;
    await ctx.i18n.renegotiateLocale();
    const t = tOf(ctx);
    await editInPlace(ctx, settingsText(t, updated), settingsKeyboard(t, updated, topicOf(ctx)));
    await ctx.answerCallbackQuery({ text: ctx.t("settings-saved") });
  });

  return composer;
}

/** Applies one pressed setting; undefined when the press carries nothing valid. */
async function apply(settings: SettingsService, group: GroupInfo, action: string, arg: string, topic: number | undefined): Promise<GroupInfo | undefined> {
  switch (action) {
    case "l":
      return isLocale(arg) ? settings.setLocale(group.id, arg) : undefined;
    case "z": {
      const zone = /^\d+$/.test(arg) ? TIME_ZONES[Number(arg)] : undefined;
      return zone ? settings.setTimeZone(group.id, zone) : undefined;
    }
    case "t":
      return (TRACKS as readonly string[]).includes(arg) ? settings.toggleTrack(group, arg as Track) : undefined;
    case "p":
      // Only the topic the settings message itself lives in can be chosen: a forged number is refused.
      return group.isForum && topic !== undefined && String(topic) === arg ? settings.setTopic(group.id, topic) : undefined;
    default:
      return undefined;
  }
}
