import { describe, expect, it } from "vitest";
import { commandList, COMMANDS } from "../../src/bot/commands.js";
import { FEATURES } from "../../src/bot/features.js";

describe("the commands, assembled from every feature", () => {
  it("keep the menus' commands, order and audiences", () => {
    expect(COMMANDS.map((c) => `${c.command}:${c.audiences.join(",")}`)).toEqual([
      "help:member,admin,private",
      "start:private",
      "join:member,admin",
      "push:admin",
      "lessons:private",
      "signin:member,admin",
      "leave:member,admin",
      "open_signin:admin",
      "close_signin:admin",
      "quiz:admin",
      "contest:admin",
      "top:member,admin",
      "me:member,admin,private",
      "practice:private",
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
