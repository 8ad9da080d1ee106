import { Composer } from "../shared/composer.js";
import type { BotContext } from "../shared/context.js";
import { escapeHtml } from "../content/index.js";
import { displayName, NOT_ADMIN, requireOrganiser, type GroupsService } from "../groups/index.js";
import type { SettingsService } from "./settings.service.js";

const SECRETARY = new Set(["secretary", "书记", "支部书记"]);
const MEMBER = new Set(["member", "成员", "党员"]);

/** /role secretary | member (as a reply) and /role alone to list the group's branch secretaries. */
export function createRoleComposer(settings: SettingsService, groups: GroupsService): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command("role", requireOrganiser(groups, NOT_ADMIN, async (ctx) => {
    const group = ctx.group;
    const arg = ctx.match.trim().toLowerCase();
    if (!arg) {
      const list = await settings.secretaries(group.id);
      if (list.length === 0) return ctx.reply(ctx.t("settings-role-none"));
      const lines = [ctx.t("settings-role-list", { count: list.length })];
      for (const s of list) {
        const note = s.privateOk ? "" : ctx.t("settings-role-list-no-private");
        lines.push(ctx.t("settings-role-list-item", { name: escapeHtml(s.name), note }));
      }
      return ctx.reply(lines.join("\n"), { parse_mode: "HTML" });
    }
    const on = SECRETARY.has(arg) ? true : MEMBER.has(arg) ? false : undefined;
    if (on === undefined) return ctx.reply(ctx.t("settings-role-usage"));
    const replied = ctx.msg.reply_to_message;
    // In a forum topic every message "replies" to the topic's first message; that is not a choice of member.
    const target = replied && !replied.forum_topic_created ? replied.from : undefined;
    if (!target) return ctx.reply(ctx.t("settings-role-need-reply"));
    if (target.is_bot || replied?.sender_chat) return ctx.reply(ctx.t("settings-role-not-a-member"));
    await groups.touchMember(group.id, target);
    const name = escapeHtml(displayName(target));
    const result = await settings.setSecretary(group.id, target.id, on);
    const key = on
      ? result.privateOk
        ? "settings-role-set"
        : "settings-role-set-no-private"
      : result.changed
        ? "settings-role-unset"
        : "settings-role-was-not";
    await ctx.reply(ctx.t(key, { name }), { parse_mode: "HTML" });
  }));

  return composer;
}
