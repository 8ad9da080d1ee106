import type { Api } from "grammy";
import type { BotCommand, BotCommandScope } from "grammy/types";
import type { Logger } from "../shared/logger.js";
import { LOCALES, type Translate } from "../shared/i18n.js";
import { cutToUnits } from "../shared/graphemes.js";

/**
 * Who sees a command in Telegram's menu (PRODUCT.md: registered per scope). "county": county
 * organisers (ORGANIZER_IDS), in their own private chat's menu only.
 */
export type Audience = "member" | "admin" | "private" | "county";

export interface CommandSpec {
  command: string;
  audiences: Audience[];
  /** Locale key of the one-line description. */
  description: string;
}

/** Every command the bot answers, in menu order. A feature's command is listed here when it lands. */
export const COMMANDS: CommandSpec[] = [
  { command: "help", audiences: ["member", "admin", "private"], description: "cmd-help" },
  { command: "start", audiences: ["private"], description: "cmd-start" },
  { command: "join", audiences: ["member", "admin"], description: "cmd-join" },
  { command: "push", audiences: ["admin"], description: "cmd-push" },
  { command: "lessons", audiences: ["private"], description: "cmd-lessons" },
  { command: "signin", audiences: ["member", "admin"], description: "cmd-signin" },
  { command: "leave", audiences: ["member", "admin"], description: "cmd-leave" },
  { command: "open_signin", audiences: ["admin"], description: "cmd-open_signin" },
  { command: "close_signin", audiences: ["admin"], description: "cmd-close_signin" },
  { command: "quiz", audiences: ["admin"], description: "cmd-quiz" },
  { command: "contest", audiences: ["admin"], description: "cmd-contest" },
  { command: "top", audiences: ["member", "admin"], description: "cmd-top" },
  { command: "me", audiences: ["member", "admin", "private"], description: "cmd-me" },
  { command: "practice", audiences: ["private"], description: "cmd-practice" },
  { command: "ask", audiences: ["member", "admin", "private"], description: "cmd-ask" },
  { command: "faq", audiences: ["member", "admin", "private"], description: "cmd-faq" },
  // The experts' chat only; its own /help lists it.
  { command: "open", audiences: [], description: "cmd-open" },
  { command: "schedule", audiences: ["member", "admin"], description: "cmd-schedule" },
  { command: "settings", audiences: ["admin"], description: "cmd-settings" },
  { command: "role", audiences: ["admin"], description: "cmd-role" },
  { command: "survey", audiences: ["admin"], description: "cmd-survey" },
  { command: "stats", audiences: ["admin"], description: "cmd-stats" },
  { command: "export", audiences: ["admin"], description: "cmd-export" },
  { command: "report", audiences: ["county"], description: "cmd-report" },
  { command: "groups", audiences: ["county"], description: "cmd-groups" },
];

export function commandsFor(audience: Audience): CommandSpec[] {
  return COMMANDS.filter((c) => c.audiences.includes(audience));
}

export function isKnownCommand(name: string): boolean {
  return COMMANDS.some((c) => c.command === name);
}

/**
 * Registers the menus: members in groups, administrators in groups, private chats, and each county
 * organiser's own private chat (private commands plus theirs); per language.
 */
export async function registerCommands(api: Api, t: Translate, logger: Logger, organizerIds: number[] = []): Promise<void> {
  const scopes: { scope: BotCommandScope; specs: CommandSpec[] }[] = [
    { scope: { type: "all_group_chats" }, specs: commandsFor("member") },
    { scope: { type: "all_chat_administrators" }, specs: commandsFor("admin") },
    { scope: { type: "all_private_chats" }, specs: commandsFor("private") },
    ...organizerIds.map((id) => ({
      scope: { type: "chat" as const, chat_id: id },
      specs: [...commandsFor("private"), ...commandsFor("county")],
    })),
  ];
  for (const { scope, specs } of scopes) {
    for (const locale of [undefined, ...LOCALES]) {
      const list: BotCommand[] = specs.map((c) => ({
        command: c.command,
        description: cutToUnits(t(locale ?? "zh", c.description), 256),
      }));
      try {
        await api.setMyCommands(list, locale ? { scope, language_code: locale } : { scope });
      } catch (err) {
        logger.warn({ err, scope: scope.type, locale }, "setMyCommands failed; menus may be out of date");
      }
    }
  }
}
