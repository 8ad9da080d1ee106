import { createHmac } from "node:crypto";
import type { SimUser } from "./types.js";

export interface InitDataOptions {
  /** Seconds since the epoch; default now. */
  authDate?: number;
  /** The `startapp` parameter of a direct Mini App link. */
  startParam?: string;
  queryId?: string;
}

/**
 * The `initData` Telegram hands a Mini App opened by `user`, signed as Telegram signs it for the bot with `token`:
 * hash = HMAC-SHA256(data-check-string, HMAC-SHA256(token, "WebAppData")), the data-check-string being every field
 * but `hash`, `key=value`, sorted by key, joined by newlines. For tests and the demo; never a production token.
 */
export function signInitData(token: string, user: SimUser, opts: InitDataOptions & { now: number }): string {
  const fields: Record<string, string> = {
    query_id: opts.queryId ?? `AAH${user.id.toString(36)}${opts.now.toString(36)}`,
    user: JSON.stringify({
      id: user.id,
      first_name: user.first_name,
      ...(user.last_name ? { last_name: user.last_name } : {}),
      ...(user.username ? { username: user.username } : {}),
      ...(user.language_code ? { language_code: user.language_code } : {}),
      allows_write_to_pm: true,
    }),
    auth_date: String(opts.authDate ?? Math.floor(opts.now / 1000)),
    ...(opts.startParam ? { start_param: opts.startParam } : {}),
  };
  const check = Object.keys(fields)
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join("\n");
  const secret = createHmac("sha256", "WebAppData").update(token).digest();
  const hash = createHmac("sha256", secret).update(check).digest("hex");
  return new URLSearchParams({ ...fields, hash }).toString();
}

/** Telegram's launch parameters in the URL's hash, as a client opening the Mini App at `url` adds them. */
export function webAppLaunchUrl(url: string, initData: string, theme: Record<string, string> = {}): string {
  const hash = new URLSearchParams({
    tgWebAppData: initData,
    tgWebAppVersion: "8.0",
    tgWebAppPlatform: "web",
    tgWebAppThemeParams: JSON.stringify(theme),
  });
  return `${url}#${hash.toString()}`;
}
