import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/config/config.js";

const TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
const WEBHOOK = { WEBHOOK_URL: "https://bot.example.org/tg", WEBHOOK_SECRET: "s".repeat(32) };
const parse = (env: Record<string, string>) => parseConfig({ BOT_TOKEN: TOKEN, ...env });

describe("PUBLIC_URL: the organiser console", () => {
  it("is off without PUBLIC_URL, and nothing else changes", () => {
    const off = parse({});
    expect(off.console).toBeUndefined();
    expect(off.metricsPort).toBeUndefined();
  });

  it("polling: served on METRICS_PORT when set, else on PORT, default 8080", () => {
    expect(parse({ PUBLIC_URL: "https://sanxue.example.org/" }).console).toEqual({ publicUrl: "https://sanxue.example.org", port: 8080 });
    expect(parse({ PUBLIC_URL: "https://sanxue.example.org", PORT: "8181" }).console?.port).toBe(8181);
    expect(parse({ PUBLIC_URL: "https://sanxue.example.org", PORT: "8181", METRICS_PORT: "9091" }).console?.port).toBe(9091);
  });

  it("webhook mode: served on PORT beside the webhook", () => {
    expect(parse({ ...WEBHOOK, PORT: "8443", PUBLIC_URL: "https://sanxue.example.org/app" }).console).toEqual({
      publicUrl: "https://sanxue.example.org/app",
      port: 8443,
    });
  });

  it("takes plain http for a loopback address only", () => {
    expect(parse({ PUBLIC_URL: "http://127.0.0.1:8080" }).console?.publicUrl).toBe("http://127.0.0.1:8080");
    expect(parse({ PUBLIC_URL: "http://localhost:8080" }).console?.publicUrl).toBe("http://localhost:8080");
    for (const bad of ["http://sanxue.example.org", "ftp://sanxue.example.org", "sanxue.example.org", "https://x.org/?a=1"]) {
      expect(() => parse({ PUBLIC_URL: bad }), bad).toThrow(ConfigError);
      expect(() => parse({ PUBLIC_URL: bad }), bad).toThrow(/^PUBLIC_URL: /);
    }
  });

  it("CONSOLE_APP_NAME: the registered Mini App's short name, checked", () => {
    expect(parse({ PUBLIC_URL: "https://sanxue.example.org" }).console?.appName).toBeUndefined();
    expect(parse({ PUBLIC_URL: "https://sanxue.example.org", CONSOLE_APP_NAME: "console_1" }).console?.appName).toBe("console_1");
    for (const bad of ["ab", "a".repeat(31), "con sole", "con/sole", "app?x=1"]) {
      expect(() => parse({ PUBLIC_URL: "https://sanxue.example.org", CONSOLE_APP_NAME: bad }), bad).toThrow(/^CONSOLE_APP_NAME: /);
    }
  });

  it("names PORT when the polling console's port is wrong", () => {
    expect(() => parse({ PUBLIC_URL: "https://sanxue.example.org", PORT: "http" })).toThrow(/^PORT: /);
  });
});
