import type { Api } from "grammy";
import type { BotCommand, BotCommandScope } from "grammy/types";
import type { Logger } from "../shared/logger.js";
import { LOCALES, type Locale, type Translate } from "../shared/i18n.js";
import { cutToUnits } from "../shared/graphemes.js";
import type { Audience, CommandSpec, FeatureDefinition } from "../shared/feature.js";
import { FEATURES } from "./features.js";

export type { Audience, CommandSpec } from "../shared/feature.js";

/** The switchboard's own commands (src/bot/help.ts); each feature lists its own in its definition. */
const BOT_COMMANDS: CommandSpec[] = [
  { command: "help", audiences: ["member", "admin", "private"], description: "cmd-help", menu: 10 },
  { command: "start", audiences: ["private"], description: "cmd-start", menu: 20 },
];

/** Every command the bot answers, in menu order. */
export function commandList(features: readonly FeatureDefinition[]): CommandSpec[] {
  const all = [...BOT_COMMANDS, ...features.flatMap((f) => f.commands ?? [])];
  const names = new Set<string>();
  for (const c of all) {
    if (names.has(c.command)) throw new Error(`two features answer /${c.command}`);
    names.add(c.command);
  }
  return all.sort((a, b) => a.menu - b.menu);
}

export const COMMANDS: readonly CommandSpec[] = commandList(FEATURES);

export function commandsFor(audience: Audience, commands: readonly CommandSpec[] = COMMANDS): CommandSpec[] {
  return commands.filter((c) => c.audiences.includes(audience));
}

export function isKnownCommand(name: string, commands: readonly CommandSpec[] = COMMANDS): boolean {
  return commands.some((c) => c.command === name);
}

/**
 * Registers the menus: members in groups, administrators in groups, private chats, and each county
 * organiser's own private chat (private commands plus theirs); per language, and the configured
 * default locale for clients in any other language.
 */
export async function registerCommands(
  api: Api,
  t: Translate,
  logger: Logger,
  opts: { organizerIds?: readonly number[]; defaultLocale: Locale; commands?: readonly CommandSpec[] },
): Promise<void> {
  const { organizerIds = [], defaultLocale, commands = COMMANDS } = opts;
  const scopes: { scope: BotCommandScope; specs: CommandSpec[] }[] = [
    { scope: { type: "all_group_chats" }, specs: commandsFor("member", commands) },
    { scope: { type: "all_chat_administrators" }, specs: commandsFor("admin", commands) },
    { scope: { type: "all_private_chats" }, specs: commandsFor("private", commands) },
    ...organizerIds.map((id) => ({
      scope: { type: "chat" as const, chat_id: id },
      specs: [...commandsFor("private", commands), ...commandsFor("county", commands)],
    })),
  ];
  for (const { scope, specs } of scopes) {
    for (const locale of [undefined, ...LOCALES]) {
      const list: BotCommand[] = specs.map((c) => ({
        command: c.command,
        description: cutToUnits(t(locale ?? defaultLocale, c.description), 256),
      }));
      try {
        await api.setMyCommands(list, locale ? { scope, language_code: locale } : { scope });
      } catch (err) {
        logger.warn({ err, scope: scope.type, locale }, "setMyCommands failed; menus may be out of date");
      }
    }
  }
}
