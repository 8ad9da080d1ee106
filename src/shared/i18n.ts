import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { I18n, type I18nFlavor } from "@grammyjs/i18n";
import type { Context } from "grammy";

export const LOCALES = ["zh", "en"] as const;
export type Locale = (typeof LOCALES)[number];

export function isLocale(value: unknown): value is Locale {
  return value === "zh" || value === "en";
}

/** Translation outside an update (pushes, reports): the locale is always explicit. */
export type Translate = (locale: Locale, key: string, vars?: Record<string, string | number>) => string;

/** Defined (true) in the production bundle, dist/main.js (tools/bundle.mjs). */
declare const SANXUE_BUNDLED: boolean | undefined;
// The feature folders are one level above this module, or beside the bundle that contains it.
const SOURCE_ROOT = fileURLToPath(new URL(typeof SANXUE_BUNDLED === "undefined" ? ".." : ".", import.meta.url));

/** Every feature keeps its strings in `src/<feature>/locales/<locale>.ftl`; this joins them per locale. */
export function readLocaleSources(root = SOURCE_ROOT): Record<Locale, string> {
  const out: Record<Locale, string> = { zh: "", en: "" };
  for (const feature of readdirSync(root, { withFileTypes: true })) {
    if (!feature.isDirectory()) continue;
    const dir = join(root, feature.name, "locales");
    if (!existsSync(dir)) continue;
    for (const locale of LOCALES) {
      const file = join(dir, `${locale}.ftl`);
      if (existsSync(file)) out[locale] += `\n${readFileSync(file, "utf8")}\n`;
    }
  }
  return out;
}

/** The locale each update's `ctx.t` speaks, noted when the i18n middleware negotiates it. */
const spoken = new WeakMap<Context, Locale>();

/**
 * One of ours for a language tag the way Fluent picks a bundle: exact, or by its language
 * ("en-US" → en, "zh-hans" → zh); undefined for any other language.
 */
export function ourLocale(tag: string | undefined): Locale | undefined {
  const language = tag?.toLowerCase().split(/[-_]/)[0];
  return isLocale(language) ? language : undefined;
}

/**
 * The locale of this update's replies (`ctx.t`): for texts made outside the context (a practice
 * question, a county report). Falls back to the configured default, never to a fixed one.
 */
export function localeOf(ctx: Context): Locale {
  const locale = spoken.get(ctx);
  // The i18n middleware runs before every feature; without it `ctx.t` would not work either.
  if (!locale) throw new Error("localeOf: the i18n middleware has not run for this update");
  return locale;
}

export function createI18n<C extends Context & I18nFlavor>(
  defaultLocale: Locale,
  negotiate: (ctx: C) => Promise<Locale | undefined> | Locale | undefined,
): I18n<C> {
  const i18n = new I18n<C>({
    defaultLocale,
    // The plugin falls back to the member's language_code, then to the default; noted the same way.
    localeNegotiator: async (ctx) => {
      const chosen = await negotiate(ctx);
      spoken.set(ctx, ourLocale(chosen ?? ctx.from?.language_code) ?? defaultLocale);
      return chosen;
    },
    // Fluent wraps placeables in bidi isolation marks by default; they show as junk in Telegram.
    fluentBundleOptions: { useIsolating: false },
  });
  const sources = readLocaleSources();
  for (const locale of LOCALES) {
    i18n.loadLocaleSync(locale, { source: sources[locale], isDefault: locale === defaultLocale });
  }
  rememberBundleChoices(i18n.fluent);
  return i18n;
}

/** Language lists whose bundles are remembered: ours, and the few Telegram language codes members have. */
const REMEMBERED_CHOICES = 64;

/**
 * The plugin picks the bundles for a locale again on every translation (a language negotiation,
 * ~3 % of a press storm's CPU, issue 11); once the locales are loaded the choice for a list of
 * locales never changes, so it is made once per list. (`matchBundles` is the plugin's private
 * method; if a later version has none, translations go on unremembered.)
 */
export function rememberBundleChoices(fluent: object): void {
  const target = fluent as { matchBundles?: (locales: string[]) => unknown[] };
  const choose = target.matchBundles?.bind(fluent);
  if (!choose) return;
  const chosen = new Map<string, unknown[]>();
  target.matchBundles = (locales) => {
    const key = locales.join(" ");
    let bundles = chosen.get(key);
    if (!bundles) {
      bundles = choose(locales);
      if (chosen.size < REMEMBERED_CHOICES) chosen.set(key, bundles);
    }
    return bundles;
  };
}

export function translatorOf(i18n: I18n<never> | I18n<Context & I18nFlavor>): Translate {
  return (locale, key, vars) => i18n.t(locale, key, vars);
}
