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
