import { Composer } from "../shared/composer.js";
import { escapeHtml } from "../content/index.js";
import { displayName, type GroupsService } from "../groups/index.js";
import type { BotContext } from "../shared/context.js";
import type { Audience, CommandSpec } from "../shared/feature.js";
import { commandsFor, isKnownCommand } from "./commands.js";

/**
 * The switchboard's own answers: /help, a plain /start (a /start with a payload is a feature's deep link),
 * and a clear reply to commands no feature answers (other bots' commands are left alone).
 */
export function createHelpComposer(groups: GroupsService, commands: readonly CommandSpec[]): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command(["start", "help"], async (ctx, next) => {
    if (ctx.match && ctx.msg.text.startsWith("/start")) return next();
    await replyHelp(ctx, groups, commands);
  });

  composer.on("message::bot_command", async (ctx, next) => {
    const entity = ctx.message.entities?.[0];
    const text = ctx.message.text ?? "";
    if (!entity || entity.offset !== 0) return next();
    const [name = "", target] = text.slice(1, entity.length).split("@");
    if (target && target.toLowerCase() !== ctx.me.username.toLowerCase()) return;
    if (isKnownCommand(name.toLowerCase(), commands)) return next();
    await ctx.reply(ctx.t("bot-unknown-command", { command: escapeHtml(`/${name}`) }), { parse_mode: "HTML" });
  });

  return composer;
}

/** What the bot does and the commands this person may use here. */
export async function replyHelp(ctx: BotContext, groups: GroupsService, commands: readonly CommandSpec[]): Promise<void> {
  const list = (audience: Audience) =>
    commandsFor(audience, commands)
      .filter((c) => c.command !== "start")
      .map((c) => `/${c.command} — ${escapeHtml(ctx.t(c.description))}`);
  const lines: string[] = [];
  if (ctx.chat?.type === "private") {
    lines.push(ctx.t("bot-help-private", { name: escapeHtml(ctx.from ? displayName(ctx.from) : "") }), "");
  }
  lines.push(ctx.t("bot-help-title"), ...list(ctx.chat?.type === "private" ? "private" : "member"));
  if (ctx.group && ctx.from && (await groups.isOrganiser(ctx.group.id, ctx.from.id))) {
    const extra = commandsFor("admin", commands).filter((c) => !c.audiences.includes("member"));
    lines.push("", ctx.t("bot-help-admin-title"), ...extra.map((c) => `/${c.command} — ${escapeHtml(ctx.t(c.description))}`));
  }
  if (ctx.chat?.type === "private" && ctx.from && groups.isCountyOrganiser(ctx.from.id)) {
    lines.push("", ctx.t("bot-help-county-title"), ...list("county"));
  }
  await ctx.reply(lines.join("\n"), { parse_mode: "HTML" });
}
