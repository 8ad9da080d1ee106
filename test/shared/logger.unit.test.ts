import { describe, expect, it } from "vitest";
import { captureLog } from "../support/log-capture.js";
import { decodeCallback, encodeCallback } from "../../src/shared/callback-data.js";

const TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

describe("logs never contain the bot token", () => {
  it("scrubs it from messages, nested errors and URLs", async () => {
    const { lines, log, written } = captureLog({ level: "info", secrets: [TOKEN] });
    log.info({ url: `https://api.telegram.org/bot${TOKEN}/getMe` }, "calling");
    log.error({ err: new Error(`fetch failed for https://api.telegram.org/bot${TOKEN}/sendMessage`) }, "oops");
    log.info({ config: { botToken: TOKEN } }, `token is ${TOKEN}`);
    log.warn({ other: "987654321:ZZHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw" }, "a token-shaped string");
    await written(4);
    const all = lines.join("");
    expect(lines.length).toBe(4);
    expect(all).not.toContain("AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw");
    expect(all).not.toContain("ZZHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw");
    expect(all).toContain("[redacted]");
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });
});

describe("callback data", () => {
  it("round-trips and rejects what is not ours", () => {
    expect(decodeCallback(encodeCallback("ls", "abc", 12), "ls", 2)).toEqual(["abc", "12"]);
    expect(decodeCallback("ls:abc", "ls", 2)).toBeNull();
    expect(decodeCallback("xx:abc", "ls", 1)).toBeNull();
    expect(decodeCallback(undefined, "ls", 1)).toBeNull();
  });

  it("refuses data over Telegram's 64 bytes", () => {
    expect(() => encodeCallback("ls", "学".repeat(30))).toThrow(/64 bytes/);
  });
});
