import { describe, expect, it } from "vitest";
import { checkInitData } from "../../src/console/index.js";
import { signInitData, webAppLaunchUrl } from "../../tools/simulator/index.js";

const TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0";
const NOW = Date.UTC(2026, 11, 2, 8, 0, 0);
const user = { id: 77, is_bot: false, first_name: "吴芳", username: "wufang", language_code: "zh" };

describe("the simulator's Mini App initData", () => {
  it("is signed with the simulator's token, as the bot checks it, and carries the user and start_param", () => {
    const data = signInitData(TOKEN, user, { now: NOW, startParam: "g_1001" });
    const r = checkInitData(data, TOKEN, NOW);
    expect(r).toMatchObject({ ok: true, startParam: "g_1001", user: { id: 77, firstName: "吴芳", username: "wufang", languageCode: "zh" } });
    expect(checkInitData(data, "987654321:another-token-entirely-xxxxxx", NOW)).toEqual({ ok: false, reason: "forged" });
  });

  it("puts Telegram's launch parameters in the URL's hash", () => {
    const data = signInitData(TOKEN, user, { now: NOW });
    const url = new URL(webAppLaunchUrl("http://127.0.0.1:8080/console/", data, { bg_color: "#ffffff" }));
    const hash = new URLSearchParams(url.hash.slice(1));
    expect(hash.get("tgWebAppData")).toBe(data);
    expect(JSON.parse(hash.get("tgWebAppThemeParams") ?? "{}")).toEqual({ bg_color: "#ffffff" });
    expect(url.pathname).toBe("/console/");
  });
});
