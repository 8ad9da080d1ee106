import { readLocaleSources, type Locale, type Translate } from "../shared/i18n.js";

/** The page's strings: every `console-page-*` key of the console's locale files, as the bot's i18n renders them. */
export function pageStrings(t: Translate, locale: Locale): Record<string, string> {
  const keys = [...new Set([...readLocaleSources()[locale].matchAll(/^(console-page-[a-z0-9-]+)\s*=/gm)].map((m) => m[1] ?? ""))];
  return Object.fromEntries(keys.map((k) => [k.slice("console-page-".length), t(locale, k)]));
}
