import { I18n } from "@grammyjs/i18n";
import { readLocaleSources, type Locale } from "../../src/shared/i18n.js";
import type { T } from "../../src/settings/cron-words.js";

/** The real locale files, bound to one locale, as `ctx.t` would be. */
export function translator(locale: Locale): T {
  const i18n = new I18n({ defaultLocale: "zh", fluentBundleOptions: { useIsolating: false } });
  const sources = readLocaleSources();
  i18n.loadLocaleSync("zh", { source: sources.zh });
  i18n.loadLocaleSync("en", { source: sources.en });
  return (key, vars) => i18n.t(locale, key, vars);
}
