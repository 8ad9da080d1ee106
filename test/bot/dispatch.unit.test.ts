import { Composer } from "grammy";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/bot/commands.js";
import { dispatchFeatures } from "../../src/bot/dispatch.js";
import type { BuiltFeature } from "../../src/bot/services.js";
import type { GroupsService } from "../../src/groups/index.js";
import type { BotContext } from "../../src/shared/context.js";

// Building the dispatch reads no group: the claims are checked before any update.
const groups = {} as GroupsService;
const feature = (name: string, claims: BuiltFeature["claims"]): BuiltFeature => ({ name, api: {}, composer: new Composer<BotContext>(), claims });

describe("the switchboard's claims", () => {
  it("refuse two features claiming one callback prefix, naming both", () => {
    expect(() => dispatchFeatures([feature("lessons", { callbacks: ["ls"] }), feature("copy", { callbacks: ["ls"] })], groups, COMMANDS)).toThrow(
      'lessons and copy both claim the callback prefix "ls"',
    );
  });

  it("refuse two features claiming one deep-link kind", () => {
    expect(() => dispatchFeatures([feature("reports", { startPayloads: ["export"] }), feature("copy", { startPayloads: ["export"] })], groups, COMMANDS)).toThrow(
      'reports and copy both claim the deep-link kind "export"',
    );
  });

  it("accept distinct claims", () => {
    expect(() => dispatchFeatures([feature("a", { callbacks: ["aa"], startPayloads: ["a"] }), feature("b", { callbacks: ["bb"] })], groups, COMMANDS)).not.toThrow();
  });
});
