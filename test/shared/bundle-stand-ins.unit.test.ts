import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a build script in plain JavaScript, without types
import { standIns } from "../../tools/bundle-stubs/index.mjs";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Bundles `code` the way tools/bundle.mjs bundles the bot (with its stand-ins), runs it, and returns its output. */
async function runBundled(code: string): Promise<unknown> {
  const dir = await mkdtemp(path.join(tmpdir(), "sanxue-bundle-"));
  const entry = path.join(ROOT, "test/shared", `.bundle-entry-${path.basename(dir)}.mjs`);
  await writeFile(entry, code);
  try {
    await build({
      ...(standIns as object),
      entryPoints: [entry],
      outfile: path.join(dir, "out.mjs"),
      bundle: true,
      platform: "node",
      format: "esm",
      mainFields: ["module", "main"],
      logLevel: "error",
      banner: { js: 'import { createRequire } from "node:module"; const require = createRequire(import.meta.url);' },
    });
  } finally {
    await import("node:fs/promises").then((fs) => fs.rm(entry));
  }
  return JSON.parse(execFileSync(process.execPath, [path.join(dir, "out.mjs")], { encoding: "utf8" })) as unknown;
}

describe("the production bundle's stand-ins", () => {
  it("give @grammyjs/i18n the file calls it makes: a source, a file, a locales folder (sync and async)", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "sanxue-locales-"));
    await mkdir(path.join(dir, "folder"));
    await writeFile(path.join(dir, "folder", "en.ftl"), "hello = Hello { $name }\n");
    await writeFile(path.join(dir, "folder", "zh.ftl"), "hello = 你好 { $name }\n");
    await writeFile(path.join(dir, "de.ftl"), "hello = Hallo { $name }\n");
    const out = await runBundled(`
      import { I18n } from "@grammyjs/i18n";
      const options = { defaultLocale: "en", fluentBundleOptions: { useIsolating: false } };
      const one = new I18n(options);
      one.loadLocalesDirSync(${JSON.stringify(path.join(dir, "folder"))});
      one.loadLocaleSync("de", { filePath: ${JSON.stringify(path.join(dir, "de.ftl"))} });
      one.loadLocaleSync("fr", { source: "hello = Bonjour { $name }" });
      const two = new I18n(options);
      await two.loadLocalesDir(${JSON.stringify(path.join(dir, "folder"))});
      await two.loadLocale("de", { filePath: ${JSON.stringify(path.join(dir, "de.ftl"))} });
      const say = (i18n, l) => i18n.t(l, "hello", { name: "Li" });
      console.log(JSON.stringify([["en", "zh", "de", "fr"].map((l) => say(one, l)), ["en", "zh", "de"].map((l) => say(two, l))]));
    `);
    expect(out).toEqual([
      ["Hello Li", "你好 Li", "Hallo Li", "Bonjour Li"],
      ["Hello Li", "你好 Li", "Hallo Li"],
    ]);
  });

  it("keep zod's English messages (only the other languages are left out)", async () => {
    const out = await runBundled(`
      import { z } from "zod";
      const r = z.object({ name: z.string().min(3) }).safeParse({ name: "a" });
      console.log(JSON.stringify([r.success, r.error?.issues[0]?.message, Object.keys(z.locales)]));
    `);
    expect(out).toEqual([false, "Too small: expected string to have >=3 characters", ["en"]]);
  });

  it("leave node-fetch (grammY's) parsing addresses with Node's URL", async () => {
    const out = await runBundled(`
      import { Request } from "node-fetch";
      const r = new Request("https://api.telegram.org/bot1/getMe?x=1");
      console.log(JSON.stringify([r.url, r.method]));
    `);
    expect(out).toEqual(["https://api.telegram.org/bot1/getMe?x=1", "GET"]);
  });

  it("let prom-client's default metrics collect the process CPU without the tracing API", async () => {
    const out = await runBundled(`
      import { collectDefaultMetrics, Registry } from "prom-client";
      const registry = new Registry();
      collectDefaultMetrics({ register: registry });
      const text = await registry.metrics();
      const cpu = /^process_cpu_seconds_total (\\S+)$/m.exec(text);
      console.log(JSON.stringify([cpu !== null, Number(cpu?.[1]) >= 0]));
    `);
    expect(out).toEqual([true, true]);
  });

  it("let prom-client's exemplars find no active span, as with the real API and no tracer", async () => {
    const out = await runBundled(`
      import { collectDefaultMetrics, Registry } from "prom-client";
      const registry = new Registry();
      registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
      collectDefaultMetrics({ register: registry, enableExemplars: true });
      const text = await registry.metrics();
      console.log(JSON.stringify([/process_cpu_user_seconds_total \\S+/.test(text)]));
    `);
    expect(out).toEqual([true]);
  });
});
