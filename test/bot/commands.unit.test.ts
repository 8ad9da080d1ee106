import { describe, expect, it } from "vitest";
import type { Api } from "grammy";
import pino from "pino";
import { commandList, COMMANDS, registerCommands } from "../../src/bot/commands.js";
import { createI18n, translatorOf } from "../../src/shared/i18n.js";
import { FEATURES } from "../../src/bot/features.js";

describe("the commands, assembled from every feature", () => {
  it("keep the menus' commands, order and audiences", () => {
    expect(COMMANDS.map((c) => `${c.command}:${c.audiences.join(",")}`)).toEqual([
      "help:member,admin,private",
      "start:private",
      "join:member,admin",
      "push:admin",
      "lessons:private",
    "newlesson:private",
    "cancel:private",
      "signin:member,admin",
      "leave:member,admin",
      "open_signin:admin",
      "close_signin:admin",
      "quiz:admin",
      "contest:admin",
      "top:member,admin",
      "me:member,admin,private",
      "practice:private",
      "review:private",
      "ask:member,admin,private",
      "faq:member,admin,private",
      "open:",
      "schedule:member,admin",
      "settings:admin",
      "role:admin",
      "survey:admin",
      "stats:admin",
      "export:admin",
      "report:county",
      "groups:county",
    ]);
    expect(COMMANDS.every((c) => c.description === `cmd-${c.command}`)).toBe(true);
  });

  it("do not depend on the order of the features list", () => {
    expect(commandList([...FEATURES].reverse())).toEqual(COMMANDS);
  });

  it("refuse two features answering one command", () => {
    const twice = { name: "copy", commands: [{ command: "top", audiences: [], description: "cmd-top", menu: 999 }], create: () => ({ api: {} }) };
    expect(() => commandList([...FEATURES, twice])).toThrow("/top");
  });
});

describe("the menus' fallback language", () => {
  it("is DEFAULT_LOCALE: clients in a language we do not speak see the configured default, not Chinese", async () => {
    const calls: { commands: { command: string; description: string }[]; other: { language_code?: string } }[] = [];
    const api = { setMyCommands: async (commands: (typeof calls)[number]["commands"], other: (typeof calls)[number]["other"]) => void calls.push({ commands, other }) };
    const t = translatorOf(createI18n("en", () => undefined));
    await registerCommands(api as unknown as Api, t, pino({ level: "silent" }), { defaultLocale: "en" });
    const fallback = calls.filter((c) => c.other.language_code === undefined);
    expect(fallback.length).toBeGreaterThan(0);
    for (const call of fallback) expect(call.commands.find((c) => c.command === "help")?.description).toBe(t("en", "cmd-help"));
    expect(t("en", "cmd-help")).not.toBe(t("zh", "cmd-help"));
  });
});
