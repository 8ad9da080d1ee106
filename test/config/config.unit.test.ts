import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/config/config.js";

const TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

function errorOf(env: Record<string, string>): ConfigError {
  try {
    parseConfig({ BOT_TOKEN: TOKEN, ...env });
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

describe("configuration", () => {
  it("has the documented defaults", () => {
    const c = parseConfig({ BOT_TOKEN: TOKEN });
    expect(c).toMatchObject({
      telegramApiRoot: "https://api.telegram.org",
      contentDir: "./content",
      defaultTimezone: "Asia/Shanghai",
      defaultLocale: "zh",
      organizerIds: [],
      mode: { kind: "polling" },
      logLevel: "info",
    });
    expect(c.redisUrl).toBeUndefined();
    expect(c.expertsChatId).toBeUndefined();
  });

  it("names the variable that is wrong", () => {
    expect(errorOf({ DEFAULT_TIMEZONE: "Mars/Olympus" }).variable).toBe("DEFAULT_TIMEZONE");
    expect(errorOf({ DEFAULT_LOCALE: "fr" }).variable).toBe("DEFAULT_LOCALE");
    expect(errorOf({ ORGANIZER_IDS: "12,abc" }).variable).toBe("ORGANIZER_IDS");
    expect(errorOf({ EXPERTS_CHAT_ID: "experts" }).variable).toBe("EXPERTS_CHAT_ID");
    expect(errorOf({ TELEGRAM_API_ROOT: "not a url" }).variable).toBe("TELEGRAM_API_ROOT");
    expect(errorOf({ REDIS_URL: "localhost:6379" }).variable).toBe("REDIS_URL");
    expect(errorOf({ WEBHOOK_URL: "https://bot.example.org/tg" }).variable).toBe("WEBHOOK_SECRET");
    expect(errorOf({ LOG_LEVEL: "loud" }).variable).toBe("LOG_LEVEL");
    expect(errorOf({ BOT_TOKEN: "nope" }).variable).toBe("BOT_TOKEN");
  });

  it("flood limits are on unless FLOOD_LIMITS=off, and a wrong value is named", () => {
    expect(parseConfig({ BOT_TOKEN: TOKEN }).floodLimits).toBe(true);
    expect(parseConfig({ BOT_TOKEN: TOKEN, FLOOD_LIMITS: "off" }).floodLimits).toBe(false);
    expect(errorOf({ FLOOD_LIMITS: "maybe" }).variable).toBe("FLOOD_LIMITS");
  });

  it("WEBHOOK_SECRET must be 16-256 characters of A-Za-z0-9_- (Telegram's alphabet), with a one-line message naming it", () => {
    const webhook = (secret: string) => ({ WEBHOOK_URL: "https://bot.example.org/tg", WEBHOOK_SECRET: secret });
    for (const bad of ["a".repeat(15), "a".repeat(257), "sixteen+chars/with%bad", "空格 and sixteen chars"]) {
      const err = errorOf(webhook(bad));
      expect(err.variable).toBe("WEBHOOK_SECRET");
      expect(err.message).toContain("16-256");
      expect(err.message).not.toContain("\n");
    }
    for (const good of ["a".repeat(16), "A-z_0".repeat(51).slice(0, 256)]) {
      const c = parseConfig({ BOT_TOKEN: TOKEN, ...webhook(good) });
      expect(c.mode).toMatchObject({ kind: "webhook", secret: good });
    }
  });

  it("requires a token unless told not to", () => {
    expect(() => parseConfig({})).toThrow(/BOT_TOKEN/);
    expect(parseConfig({}, { requireToken: false }).botToken).toBe("");
  });

  it("parses webhook mode and organiser ids", () => {
    const c = parseConfig({
      BOT_TOKEN: TOKEN,
      WEBHOOK_URL: "https://bot.example.org/tg/hook",
      WEBHOOK_SECRET: "s3cret_value_0123456789",
      PORT: "9000",
      ORGANIZER_IDS: " 11, 22 ",
      EXPERTS_CHAT_ID: "-1001234567890",
    });
    expect(c.mode).toEqual({ kind: "webhook", url: "https://bot.example.org/tg/hook", secret: "s3cret_value_0123456789", port: 9000 });
    expect(c.organizerIds).toEqual([11, 22]);
    expect(c.expertsChatId).toBe(-1001234567890);
  });
});
