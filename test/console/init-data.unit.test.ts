import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkInitData, INIT_DATA_MAX_AGE_MS } from "../../src/console/console.auth.js";

const TOKEN = "123456:TEST-token-for-the-console-abcdef";
const NOW = Date.UTC(2026, 11, 2, 8, 0, 0);
const user = { id: 4242, first_name: "李", last_name: "明", username: "liming", language_code: "zh-hans" };

/** Signs as Telegram documents it, written out here on its own so a mistake in the module cannot hide in both. */
function sign(fields: Record<string, string>, token = TOKEN): string {
  const check = Object.keys(fields)
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join("\n");
  const secret = createHmac("sha256", "WebAppData").update(token).digest();
  const hash = createHmac("sha256", secret).update(check).digest("hex");
  return new URLSearchParams({ ...fields, hash }).toString();
}

const fields = (over: Record<string, string> = {}) => ({
  query_id: "AAHdF6IQAAAAAN0XohDhrOrc",
  user: JSON.stringify(user),
  auth_date: String(Math.floor(NOW / 1000) - 60),
  signature: "bm90LWNoZWNrZWQtaGVyZQ",
  ...over,
});

describe("initData validation", () => {
  it("accepts data signed with the bot's token and reads the signed user", () => {
    const r = checkInitData(sign(fields({ start_param: "g-1001" })), TOKEN, NOW);
    expect(r).toEqual({
      ok: true,
      authDate: (Math.floor(NOW / 1000) - 60) * 1000,
      startParam: "g-1001",
      user: { id: 4242, firstName: "李", lastName: "明", username: "liming", languageCode: "zh-hans" },
    });
  });

  it("a Telegram-encoded string (spaces as %20, JSON escaped) validates after URL decoding", () => {
    const f = fields({ user: JSON.stringify({ ...user, first_name: "Li Ming & co" }) });
    const raw = sign(f).replace(/\+/g, "%20");
    const r = checkInitData(raw, TOKEN, NOW);
    expect(r.ok && r.user.firstName).toBe("Li Ming & co");
  });

  it("refuses data signed with another bot's token", () => {
    expect(checkInitData(sign(fields(), "999999:another-bots-token-xxxxxxxxxx"), TOKEN, NOW)).toEqual({ ok: false, reason: "forged" });
  });

  it("refuses a changed field: another user id under the same hash", () => {
    const signed = new URLSearchParams(sign(fields()));
    signed.set("user", JSON.stringify({ ...user, id: 1 }));
    expect(checkInitData(signed.toString(), TOKEN, NOW)).toEqual({ ok: false, reason: "forged" });
  });

  it("refuses an added field and a field given twice", () => {
    const added = `${sign(fields())}&chat_type=private`;
    expect(checkInitData(added, TOKEN, NOW).ok).toBe(false);
    const twice = `${sign(fields())}&auth_date=${Math.floor(NOW / 1000)}`;
    expect(checkInitData(twice, TOKEN, NOW)).toEqual({ ok: false, reason: "forged" });
  });

  it("says missing for no data, no user; forged for no or malformed hash", () => {
    expect(checkInitData(undefined, TOKEN, NOW)).toEqual({ ok: false, reason: "missing" });
    expect(checkInitData("", TOKEN, NOW)).toEqual({ ok: false, reason: "missing" });
    const { user: _drop, ...noUser } = fields();
    expect(checkInitData(sign(noUser), TOKEN, NOW)).toEqual({ ok: false, reason: "missing" });
    expect(checkInitData(new URLSearchParams(fields()).toString(), TOKEN, NOW)).toEqual({ ok: false, reason: "forged" });
    expect(checkInitData(`${new URLSearchParams(fields()).toString()}&hash=zz`, TOKEN, NOW)).toEqual({ ok: false, reason: "forged" });
  });

  it("refuses auth_date older than a day, accepts it just inside", () => {
    const at = (ms: number) => sign(fields({ auth_date: String(Math.floor((NOW - ms) / 1000)) }));
    expect(checkInitData(at(INIT_DATA_MAX_AGE_MS + 1000), TOKEN, NOW)).toEqual({ ok: false, reason: "expired" });
    expect(checkInitData(at(INIT_DATA_MAX_AGE_MS - 1000), TOKEN, NOW).ok).toBe(true);
    expect(checkInitData(at(-10 * 60_000), TOKEN, NOW)).toEqual({ ok: false, reason: "expired" });
  });

  it("refuses a signed user that is not a user object", () => {
    expect(checkInitData(sign(fields({ user: "{not json" })), TOKEN, NOW)).toEqual({ ok: false, reason: "forged" });
    expect(checkInitData(sign(fields({ user: JSON.stringify({ id: "7" }) })), TOKEN, NOW)).toEqual({ ok: false, reason: "forged" });
  });
});
