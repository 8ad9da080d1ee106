import { type Api } from "grammy";
import { Composer } from "../shared/composer.js";
import type { GroupsService } from "../groups/index.js";
import type { BotContext } from "../shared/context.js";
import { localeOf, type Translate } from "../shared/i18n.js";
import type { Logger } from "../shared/logger.js";
import { parseHandoff } from "../shared/private-handoff.js";
import { CONSOLE_KIND, consoleKeyboard, consoleUrl } from "./console.links.js";
import type { ConsoleRepository } from "./console.repository.js";

export interface ConsoleComposerDeps {
  publicUrl: string;
  repo: ConsoleRepository;
  groups: GroupsService;
  api: Api;
  t: Translate;
  logger: Logger;
}

/**
 * The private chat's menu button opens the console (set once per person, the first time they write to the bot in
 * private), and `/start console_<group>` (a group's button) answers with the button that opens it on that group.
 */
export function createConsoleComposer(deps: ConsoleComposerDeps): { watch: Composer<BotContext>; composer: Composer<BotContext> } {
  const watch = new Composer<BotContext>();
  const composer = new Composer<BotContext>();
  const url = consoleUrl(deps.publicUrl);

  // A watch (it sees every update before the features' composers, which may answer a private message without passing it on).
  watch.chatType("private").use(async (ctx, next) => {
    const userId = ctx.from?.id;
    if (userId !== undefined && (await deps.repo.menuSet(userId)) !== url) {
      try {
        const text = deps.t(localeOf(ctx), "console-menu-button");
        await deps.api.setChatMenuButton({ chat_id: userId, menu_button: { type: "web_app", text, web_app: { url } } });
        await deps.repo.rememberMenu(userId, url);
      } catch (err) {
        // The chat goes on without the button; the next private message tries again.
        deps.logger.warn({ err, user: userId }, "could not set the console menu button");
      }
    }
    return next();
  });

  composer.chatType("private").command("start", async (ctx, next) => {
    const link = parseHandoff(CONSOLE_KIND, ctx.match);
    if (!link || link.id !== undefined) return next();
    const group = await deps.groups.get(link.groupId);
    const locale = localeOf(ctx);
    await ctx.reply(deps.t(locale, "console-open-hint", { group: group?.title ?? "" }), {
      reply_markup: consoleKeyboard(deps.publicUrl, deps.t, { chat: "private", locale, groupId: group?.id }),
    });
  });

  return { watch, composer };
}
