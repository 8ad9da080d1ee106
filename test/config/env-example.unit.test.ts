import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/config.js";

const ROOT = new URL("../../", import.meta.url);
/** Every `NAME=` line of .env.example, as name → value. */
const example = new Map(
  readFileSync(new URL(".env.example", ROOT), "utf8")
    .split("\n")
    .flatMap((line) => /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line)?.slice(1, 3) ?? [])
    .reduce<[string, string][]>((pairs, v, i, all) => (i % 2 ? pairs : [...pairs, [v, all[i + 1] ?? ""]]), []),
);
/** The variables the configuration reads: every upper-case name quoted in config.ts. */
const read = new Set(readFileSync(new URL("src/config/config.ts", ROOT), "utf8").match(/(?<=")[A-Z][A-Z0-9_]{3,}(?=")/g));

describe(".env.example", () => {
  it("lists every variable the configuration reads, and nothing it does not", () => {
    expect([...read].filter((name) => !example.has(name))).toEqual([]);
    expect([...example.keys()].filter((name) => !read.has(name))).toEqual([]);
  });

  it("is a valid configuration once the token is filled in, with the documented defaults", () => {
    const env = Object.fromEntries([...example].filter(([, v]) => v !== ""));
    const config = parseConfig({ ...env, BOT_TOKEN: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ" });
    expect(config).toEqual(parseConfig({ BOT_TOKEN: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ" }));
  });
});
