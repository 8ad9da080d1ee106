import { Composer } from "../shared/composer.js";
import type { BotContext } from "../shared/context.js";
import { escapeHtml } from "../content/index.js";
import { displayName, type GroupsService } from "./groups.service.js";

const JOINED = new Set(["member", "administrator", "creator"]);
/** Statuses Telegram documents; a change to anything else is not understood, so it changes nothing. */
const KNOWN_STATUSES = new Set([...JOINED, "restricted", "left", "kicked"]);

function isGroupChat(type: string | undefined): type is "group" | "supergroup" {
  return type === "group" || type === "supergroup";
}

/**
 * Knows the groups and their members: registration when the bot is added, the roster
 * (joins, leaves, anyone who interacts, /join). Sees every update before the other features (its `watch`).
 */
export function createGroupsComposer(groups: GroupsService): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.on("my_chat_member", async (ctx) => {
    const { chat, new_chat_member: now, old_chat_member: before } = ctx.myChatMember;
    if (!KNOWN_STATUSES.has(now.status) || !KNOWN_STATUSES.has(before.status)) return;
    if (!isGroupChat(chat.type)) {
      if (chat.type === "private") await groups.rememberUser(ctx.myChatMember.from, now.status === "member");
      return;
    }
    const wasIn = JOINED.has(before.status) || (before.status === "restricted" && before.is_member);
    const isIn = JOINED.has(now.status) || (now.status === "restricted" && now.is_member);
    if (isIn && !wasIn) {
      const { group } = await groups.register(chat as Parameters<GroupsService["register"]>[0]);
      await groups.touchMember(group.id, ctx.myChatMember.from);
      await ctx.i18n.renegotiateLocale();
      let text = ctx.t("groups-welcome");
      if (now.status !== "administrator") text += `\n\n${ctx.t("groups-welcome-not-admin")}`;
      await ctx.reply(text, { parse_mode: "HTML" });
    } else if (!isIn && wasIn) {
      await groups.deactivate(chat.id);
    }
  });

  // Load the group an update happened in; register groups the bot finds itself in without record.
  composer.use(async (ctx, next) => {
    const chat = ctx.chat;
    if (chat && isGroupChat(chat.type) && !ctx.myChatMember) {
      let group = ctx.group ?? (await groups.ofUpdate(chat.id, Boolean(ctx.callbackQuery)));
      if (!group || !group.active) {
        if (ctx.message?.left_chat_member?.id === ctx.me.id) return next();
        group = (await groups.register(chat as Parameters<GroupsService["register"]>[0])).group;
      }
      ctx.group = group;
      // A message sent on behalf of a chat (an anonymous admin, a linked channel's post) has no member
      // behind it: it joins no roster and counts for nobody; a command to the bot gets one line why.
      if (ctx.message?.sender_chat) {
        if (isCommandToMe(ctx.message.text, ctx.message.entities?.[0], ctx.me.username)) await ctx.reply(ctx.t("groups-not-as-chat"));
        return;
      }
      const from = ctx.from;
      if (from && !from.is_bot && ctx.pressToll) {
        // The press's feature writes the roster in its own script; the user's side goes out beside it.
        const user = groups.tollMember(chat.id, from, ctx.pressToll);
        try {
          return await next();
        } finally {
          await user;
        }
      }
      if (from && !from.is_bot) await groups.touchMember(chat.id, from);
    } else if (ctx.from && ctx.chat?.type === "private") {
      await groups.rememberUser(ctx.from, true);
    }
    return next();
  });

  composer.on("chat_member", async (ctx) => {
    const { chat, new_chat_member: now } = ctx.chatMember;
    groups.forgetAdmin(chat.id, now.user.id);
    if (now.user.is_bot || !KNOWN_STATUSES.has(now.status)) return;
    const isIn = JOINED.has(now.status) || (now.status === "restricted" && now.is_member);
    if (isIn) await groups.touchMember(chat.id, now.user);
    else await groups.memberLeft(chat.id, now.user.id);
  });

  composer.on("message:new_chat_members", async (ctx) => {
    for (const user of ctx.message.new_chat_members) await groups.touchMember(ctx.chat.id, user);
  });

  composer.on("message:left_chat_member", async (ctx) => {
    const user = ctx.message.left_chat_member;
    if (user.id === ctx.me.id) return groups.deactivate(ctx.chat.id);
    await groups.memberLeft(ctx.chat.id, user.id);
  });

  composer.command("join", async (ctx) => {
    if (!ctx.group || !ctx.from) return ctx.reply(ctx.t("groups-only-in-group"));
    await ctx.reply(ctx.t("groups-joined", { name: escapeHtml(displayName(ctx.from)) }), {
      parse_mode: "HTML",
      reply_parameters: { message_id: ctx.msgId ?? 0, allow_sending_without_reply: true },
    });
  });

  return composer;
}

function isCommandToMe(text: string | undefined, first: { type: string; offset: number; length: number } | undefined, botUsername: string): boolean {
  if (!text || first?.type !== "bot_command" || first.offset !== 0) return false;
  const target = text.slice(1, first.length).split("@")[1];
  return !target || target.toLowerCase() === botUsername.toLowerCase();
}
