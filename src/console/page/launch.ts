/** What Telegram puts in the Mini App URL's hash (`tgWebAppData`, the signed initData; the theme), read without Telegram's script. */
export interface Launch {
  initData: string;
  startParam?: string;
  theme: Record<string, string>;
  languageCode?: string;
}

export function readLaunch(hash: string): Launch {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const initData = params.get("tgWebAppData") ?? "";
  const data = new URLSearchParams(initData);
  let theme: Record<string, string> = {};
  try {
    const parsed: unknown = JSON.parse(params.get("tgWebAppThemeParams") ?? "{}");
    if (parsed && typeof parsed === "object") theme = parsed as Record<string, string>;
  } catch {
    theme = {};
  }
  let languageCode: string | undefined;
  try {
    languageCode = (JSON.parse(data.get("user") ?? "{}") as { language_code?: string }).language_code;
  } catch {
    languageCode = undefined;
  }
  return { initData, startParam: data.get("start_param") ?? params.get("tgWebAppStartParam") ?? undefined, theme, languageCode };
}

/** Telegram's theme colours as the CSS variables its own script sets (`--tg-theme-bg-color`, …). */
export function applyTheme(theme: Record<string, string>, root: HTMLElement): void {
  for (const [key, value] of Object.entries(theme)) {
    if (/^[a-z_]+$/.test(key) && /^#[0-9a-fA-F]{3,8}$/.test(value)) root.style.setProperty(`--tg-theme-${key.replace(/_/g, "-")}`, value);
  }
}

/** Tells the Telegram client the page is ready (what Telegram's script does on `ready()`), where there is a client. */
export function tellReady(): void {
  const w = window as unknown as { TelegramWebviewProxy?: { postEvent(type: string, data: string): void } };
  if (w.TelegramWebviewProxy) w.TelegramWebviewProxy.postEvent("web_app_ready", "");
  else if (window.parent !== window) window.parent.postMessage(JSON.stringify({ eventType: "web_app_ready", eventData: {} }), "*");
}
