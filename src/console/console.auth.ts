import { createHmac, timingSafeEqual } from "node:crypto";
import * as z from "zod/mini";

/** initData older than this is refused: a leaked link stops working within a day. */
export const INIT_DATA_MAX_AGE_MS = 24 * 3600 * 1000;

/** The Mini App's user, as Telegram signed it (only what the console reads). */
export interface InitDataUser {
  id: number;
  firstName: string;
  lastName?: string;
  username?: string;
  languageCode?: string;
}

export type InitDataCheck =
  | { ok: true; user: InitDataUser; authDate: number; startParam?: string }
  | { ok: false; reason: "missing" | "forged" | "expired" };

const userSchema = z.object({
  id: z.int().check(z.positive()),
  first_name: z.string(),
  last_name: z.optional(z.string()),
  username: z.optional(z.string()),
  language_code: z.optional(z.string()),
});

/** Telegram's key for a bot's Mini App data: HMAC-SHA256 of the token under the constant "WebAppData". */
function secretKey(botToken: string): Buffer {
  return createHmac("sha256", "WebAppData").update(botToken).digest();
}

/** The data-check-string: every field but `hash`, as `key=value`, sorted by key, joined by newlines. */
export function dataCheckString(params: URLSearchParams): string {
  return [...params.entries()]
    .filter(([key]) => key !== "hash")
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join("\n");
}

/** The `hash` Telegram puts beside these fields for this bot (the simulator's helper and tests sign with it). */
export function initDataHash(params: URLSearchParams, botToken: string): string {
  return createHmac("sha256", secretKey(botToken)).update(dataCheckString(params)).digest("hex");
}

/**
 * Checks a Mini App's `initData` as Telegram documents ("Validating data received via the Mini App"): the HMAC
 * under the bot's token, then `auth_date` no older than a day. Pure: `now` in ms.
 */
export function checkInitData(initData: string | undefined, botToken: string, now: number, maxAgeMs = INIT_DATA_MAX_AGE_MS): InitDataCheck {
  if (!initData) return { ok: false, reason: "missing" };
  const params = new URLSearchParams(initData);
  const hash = params.get("hash");
  if (!hash || params.getAll("hash").length !== 1 || !/^[0-9a-f]{64}$/.test(hash)) return { ok: false, reason: "forged" };
  // A key given twice makes the data-check-string ambiguous: refuse it rather than guess which one was signed.
  const keys = [...params.keys()];
  if (new Set(keys).size !== keys.length) return { ok: false, reason: "forged" };
  const expected = Buffer.from(initDataHash(params, botToken), "hex");
  if (!timingSafeEqual(expected, Buffer.from(hash, "hex"))) return { ok: false, reason: "forged" };

  const authDate = Number(params.get("auth_date"));
  if (!Number.isInteger(authDate) || authDate <= 0) return { ok: false, reason: "forged" };
  const signedAt = authDate * 1000;
  // A date far in the future is no more trustworthy than an old one (a minute's leeway for clocks).
  if (now - signedAt > maxAgeMs || signedAt - now > 60_000) return { ok: false, reason: "expired" };

  const userJson = params.get("user");
  // Signed, but not for a person (the console is for people only).
  if (!userJson) return { ok: false, reason: "missing" };
  let user: z.infer<typeof userSchema>;
  try {
    const parsed = userSchema.safeParse(JSON.parse(userJson));
    if (!parsed.success) return { ok: false, reason: "forged" };
    user = parsed.data;
  } catch {
    return { ok: false, reason: "forged" };
  }
  const startParam = params.get("start_param") ?? undefined;
  return {
    ok: true,
    authDate: signedAt,
    startParam,
    user: { id: user.id, firstName: user.first_name, lastName: user.last_name, username: user.username, languageCode: user.language_code },
  };
}
