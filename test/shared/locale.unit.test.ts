import { describe, expect, it } from "vitest";
import { ourLocale } from "../../src/shared/i18n.js";

describe("a language tag to one of our locales", () => {
  it("matches exactly or by language, as Fluent picks a bundle", () => {
    expect(ourLocale("en")).toBe("en");
    expect(ourLocale("en-US")).toBe("en");
    expect(ourLocale("zh")).toBe("zh");
    expect(ourLocale("zh-hans")).toBe("zh");
    expect(ourLocale("zh_TW")).toBe("zh");
    expect(ourLocale("EN-gb")).toBe("en");
  });

  it("leaves any other language (and none) to the configured default", () => {
    for (const tag of ["de", "fr-FR", "", undefined, "eng", "z"]) expect(ourLocale(tag)).toBeUndefined();
  });
});

describe("the bundle choice, made once per list of locales", () => {
  it("translates as the plugin does without it, for our locales and others", async () => {
    const { I18n } = await import("@grammyjs/i18n");
    const { createI18n, readLocaleSources, rememberBundleChoices, LOCALES } = await import("../../src/shared/i18n.js");
    const remembered = createI18n("zh", () => undefined);
    const plain = new I18n({ defaultLocale: "zh", fluentBundleOptions: { useIsolating: false } });
    const sources = readLocaleSources();
    for (const locale of LOCALES) plain.loadLocaleSync(locale, { source: sources[locale], isDefault: locale === "zh" });
    for (const locale of ["zh", "en", "en-US", "de", "zh-hans"])
      for (const key of ["groups-welcome", "bot-button-stale", "signins-toast-unknown", "no-such-key"])
        expect(remembered.t(locale, key)).toBe(plain.t(locale, key));
    const fluent = remembered.fluent as unknown as { matchBundles(locales: string[]): unknown[] };
    expect(fluent.matchBundles(["en"])).toBe(fluent.matchBundles(["en"]));
    // Remembering twice is harmless; a Fluent without the method is left alone.
    rememberBundleChoices(remembered.fluent);
    expect(remembered.t("en", "bot-button-stale")).toBe(plain.t("en", "bot-button-stale"));
    expect(() => rememberBundleChoices({})).not.toThrow();
  });
});
