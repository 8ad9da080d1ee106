import type { BotCommand } from "grammy/types";
import { badRequest } from "../errors.js";
import { apiMember, memberUpdated } from "../member-updates.js";
import { apiChat } from "../serialize.js";
import { assertNotMigrated } from "../state.js";
import type { MethodContext, MethodTable } from "./context.js";
import { checkLimits, checkWebAppUrl, postBotMessage, resolveTarget } from "./outgoing.js";

/** The key commands are stored under: scope plus language code, as Telegram keeps them. */
export function commandsKey(scope: unknown, languageCode: string | undefined): string {
  const s = (scope ?? { type: "default" }) as Record<string, unknown>;
  const ordered = Object.fromEntries(Object.keys(s).sort().map((k) => [k, s[k]]));
  return `${JSON.stringify(ordered)}|${languageCode ?? ""}`;
}

function chatForBot(ctx: MethodContext) {
  const record = ctx.state.resolveChat(ctx.params.raw["chat_id"]);
  assertNotMigrated(record);
  if (record.chat.type !== "private" && ctx.state.botStatus(record) === "kicked") {
    ctx.state.assertCanSend(record);
  }
  return record;
}

function getChatMember(ctx: MethodContext): unknown {
  const record = chatForBot(ctx);
  const userId = ctx.params.requireInt("user_id");
  const user = userId === ctx.state.bot.id ? ctx.state.bot : ctx.state.userRecord(userId)?.user;
  if (!user) throw badRequest("user not found");
  if (record.chat.type === "private") return apiMember(user, "member");
  return apiMember(user, record.members.get(userId)?.status ?? "left");
}

function setMyCommands(ctx: MethodContext): unknown {
  const commands = ctx.params.json<BotCommand[]>("commands") ?? [];
  if (commands.length > 100) throw badRequest("too many commands specified");
  for (const c of commands) {
    if (!/^[a-z0-9_]{1,32}$/.test(c.command)) throw badRequest("BOT_COMMAND_INVALID");
    if (!c.description || c.description.length > 256) throw badRequest("BOT_COMMAND_DESCRIPTION_INVALID");
  }
  const key = commandsKey(ctx.params.json("scope"), ctx.params.str("language_code"));
  ctx.state.commands.set(key, commands.map((c) => ({ command: c.command, description: c.description })));
  return true;
}

/** The menu button key: a private chat's id, or "" for the bot's default. */
function menuChat(ctx: MethodContext): string {
  const raw = ctx.params.raw["chat_id"];
  if (raw === undefined || raw === "") return "";
  const record = ctx.state.resolveChat(raw);
  if (record.chat.type !== "private") throw badRequest("chat not found");
  return String(record.chat.id);
}

/** setChatMenuButton: a private chat's button or the default one; MenuButtonCommands, MenuButtonWebApp or MenuButtonDefault. */
function setChatMenuButton(ctx: MethodContext): unknown {
  const key = menuChat(ctx);
  const button = ctx.params.json<Record<string, unknown>>("menu_button") ?? { type: "default" };
  if (button.type === "web_app") {
    if (typeof button.text !== "string" || button.text.trim() === "") throw badRequest("menu button text is empty");
    checkWebAppUrl(button.web_app);
    ctx.state.menuButtons.set(key, { type: "web_app", text: button.text, web_app: { url: (button.web_app as { url: string }).url } });
  } else if (button.type === "commands") ctx.state.menuButtons.set(key, { type: "commands" });
  else if (button.type === "default") ctx.state.menuButtons.delete(key);
  else throw badRequest("can't parse menu button: unsupported menu button type");
  return true;
}

/** getChatMenuButton: the chat's own button, else the bot's default, else the commands list (Telegram's initial value). */
function getChatMenuButton(ctx: MethodContext): unknown {
  const key = menuChat(ctx);
  return ctx.state.menuButtons.get(key) ?? ctx.state.menuButtons.get("") ?? { type: "commands" };
}

export const chatMethods: MethodTable = {
  getChat: (ctx) => ({ ...apiChat(chatForBot(ctx).chat), accent_color_id: 0, max_reaction_count: 11 }),
  getChatMember,
  getChatAdministrators: (ctx) => {
    const record = chatForBot(ctx);
    const out: unknown[] = [];
    for (const [id, m] of record.members) {
      if (m.status !== "creator" && m.status !== "administrator") continue;
      const user = id === ctx.state.bot.id ? ctx.state.bot : ctx.state.userRecord(id)?.user;
      if (user) out.push(apiMember(user, m.status));
    }
    return out;
  },
  getChatMemberCount: (ctx) => {
    const record = chatForBot(ctx);
    if (record.chat.type === "private") return 2;
    return [...record.members.values()].filter((m) => m.status !== "left" && m.status !== "kicked").length;
  },
  leaveChat: (ctx) => {
    const record = ctx.state.resolveChat(ctx.params.raw["chat_id"]);
    const status = ctx.state.botStatus(record);
    if (record.chat.type === "private") throw badRequest("chat member status can't be changed in private chats");
    if (status === "left" || status === "kicked") {
      ctx.state.assertCanSend(record);
      throw badRequest("chat not found");
    }
    record.members.set(ctx.state.bot.id, { status: "left", since: ctx.state.now() });
    ctx.queue.push("my_chat_member", memberUpdated(ctx.state, record, ctx.state.bot, ctx.state.bot, status, "left"));
    ctx.events.line(`[${record.chat.title}] 🤖 ${ctx.state.bot.first_name} left`);
    return true;
  },
  setMyCommands,
  getMyCommands: (ctx) => ctx.state.commands.get(commandsKey(ctx.params.json("scope"), ctx.params.str("language_code"))) ?? [],
  deleteMyCommands: (ctx) => {
    ctx.state.commands.delete(commandsKey(ctx.params.json("scope"), ctx.params.str("language_code")));
    return true;
  },
  setMyDescription: () => true,
  setMyShortDescription: () => true,
  setMyName: () => true,
  setChatMenuButton,
  getChatMenuButton,
  setMyDefaultAdministratorRights: () => true,
  createForumTopic: (ctx) => {
    checkLimits(ctx, false);
    const target = resolveTarget(ctx);
    if (!target.record.chat.is_forum) throw badRequest("the chat is not a forum");
    if (!ctx.state.botCanManageTopics(target.record)) throw badRequest("not enough rights to create a topic");
    const name = ctx.params.str("name") ?? "";
    if (name.length < 1 || name.length > 128) throw badRequest("TOPIC_TITLE_EMPTY");
    const icon_color = ctx.params.int("icon_color") ?? 0x6fb9f0;
    const m = postBotMessage(ctx, target, { forum_topic_created: { name, icon_color } });
    m.message_thread_id = m.message_id;
    m.is_topic_message = true;
    target.record.topics.set(m.message_id, { name, icon_color });
    return { message_thread_id: m.message_id, name, icon_color };
  },
};
