import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/config/config.js";
import { SIMULATOR_TOKEN } from "../../src/config/simulator-token.js";
import { checkInitData } from "../../src/console/console.auth.js";
import { signInitData } from "../../tools/simulator/web-app.js";

const REAL_TOKEN = "7012345678:AAF9xQ2mN4pL7rT1vW3yZ5bC8dE0gH6jK2s";
const errorOf = (env: Record<string, string>) => {
  try {
    parseConfig(env);
  } catch (err) {
    return err;
  }
  return undefined;
};

describe("the simulator's public token (the demo signs the console's initData with it)", () => {
  it("stops start-up against Telegram or any Bot API server not on this machine", () => {
    for (const root of [undefined, "https://api.telegram.org", "https://botapi.example.org", "http://10.0.0.5:8081"]) {
      const err = errorOf({ BOT_TOKEN: SIMULATOR_TOKEN, ...(root ? { TELEGRAM_API_ROOT: root } : {}) });
      expect(err, String(root)).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).variable).toBe("BOT_TOKEN");
      expect((err as ConfigError).message).toContain("simulator");
    }
  });

  it("is accepted against a simulator on loopback (the demo, tests, tools/production-start.ts)", () => {
    for (const root of ["http://127.0.0.1:8081", "http://localhost:9000", "http://[::1]:8081"]) {
      expect(parseConfig({ BOT_TOKEN: SIMULATOR_TOKEN, TELEGRAM_API_ROOT: root }).botToken).toBe(SIMULATOR_TOKEN);
    }
  });

  it("another bot's token against Telegram is not affected", () => {
    expect(parseConfig({ BOT_TOKEN: REAL_TOKEN }).botToken).toBe(REAL_TOKEN);
  });

  it("initData the demo prints (signed with it) is refused by a console checking a real bot's token", () => {
    const now = Date.parse("2026-11-30T00:05:00Z");
    const initData = signInitData(SIMULATOR_TOKEN, { id: 800_001, is_bot: false, first_name: "县委组织部" }, { now });
    expect(checkInitData(initData, SIMULATOR_TOKEN, now).ok).toBe(true);
    expect(checkInitData(initData, REAL_TOKEN, now)).toEqual({ ok: false, reason: "forged" });
  });
});
