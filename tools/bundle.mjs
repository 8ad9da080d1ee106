// After `tsc`: the bot and its dependencies become one CommonJS bundle, dist/bot.bundle.js, that dist/main.js (written
// from tools/bundle-loader.mjs) compiles with V8's code cache. Loading ~160 compiled modules and the CommonJS packages
// under them (each one parsed for its exports) was most of the start-up; one file is not, and one file can be cached
// compiled (vm.Script's cachedData; Node 20 has no compile cache for ES modules).
// What the bot imports on first use (BullMQ, the content parsers, marked, ts-fsrs) is inside the bundle but runs only
// when imported; the report libraries stay outside (loaded from node_modules on first use), so does the native resvg.
// Every other file tsc wrote stays in dist/ (the doctor, `node dist/ops/doctor-cli.js`, runs from there).
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { build } from "esbuild";
import { standIns } from "./bundle-stubs/index.mjs";

// The build's id: the content cache (src/content/content-cache.ts) is kept only for the code that wrote it.
const BUILD = createHash("sha256");
for (const file of ["package-lock.json", "tools/bundle-loader.mjs", ...readdirSync("src", { recursive: true }).map((f) => `src/${f}`).sort()])
  if (statSync(file).isFile()) BUILD.update(`${file}\0`).update(readFileSync(file));
const BUILD_ID = BUILD.digest("hex").slice(0, 16);

const LAZY = ["exceljs", "echarts", "@resvg/resvg-js"];
const result = await build({
  entryPoints: ["src/main.ts"],
  outfile: "dist/bot.bundle.js",
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  external: LAZY,
  // import() of the report libraries becomes require() on first use: a script compiled from V8's code cache has no
  // dynamic-import callback (Node 20 answers ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING), and all three are CommonJS.
  supported: { "dynamic-import": false },
  sourcemap: true,
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: "none",
  logLevel: "warning",
  // The ES module builds where a package has one (bullmq): what the bot does not import is left out.
  mainFields: ["module", "main"],
  write: false,
  metafile: true,
  // Smaller stand-ins for a few modules the bot does not need whole (tools/bundle-stubs/), and import.meta.url
  // for the modules that find files beside themselves (it is the bundle's own URL).
  ...standIns,
  inject: ["tools/bundle-stubs/import-meta-url.mjs"],
  // i18n finds the locale folders next to the modules: from the bundle they are beside it, not one level up.
  define: { SANXUE_BUNDLED: "true", SANXUE_BUILD: JSON.stringify(BUILD_ID), "import.meta.url": "__sanxueImportMetaUrl" },
  // One function expression, called by dist/main.js with the CommonJS module's arguments (esbuild opens it with "use strict").
  banner: { js: "(function (exports, require, module, __filename, __dirname) {" },
  footer: { js: "})" },
});
// esbuild keeps non-ASCII characters in regular expression literals; one of them makes V8 hold the whole source
// as UTF-16, twice the memory. \uXXXX means the same character there (and in strings and comments).
mkdirSync("dist", { recursive: true });
// The chunks of an earlier, split build.
for (const old of readdirSync("dist")) if (old.startsWith("chunk-")) rmSync(`dist/${old}`);
const NON_ASCII = /[^ -~\t\n\r]/g;
for (const file of result.outputFiles) {
  const js = file.path.endsWith(".js");
  if (js && /\\[^ -~\t\n\r]/.test(file.text)) throw new Error(`${file.path}: an escaped non-ASCII character; write it as \\uXXXX in the source`);
  const text = js ? file.text.replace(NON_ASCII, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`) : file.text;
  writeFileSync(file.path, text);
}
// The loader: dist/main.js replaces the file tsc wrote there.
writeFileSync("dist/main.js", readFileSync("tools/bundle-loader.mjs", "utf8").replace("__SANXUE_BUILD__", BUILD_ID));
// What must not run before the first getUpdates: the modules src/main.ts imports statically, and theirs, hold none of
// these (zod's classic API and the YAML parser load with the content check, on a content-cache miss; marked with the
// first lesson sent; ts-fsrs with the first answer graded; BullMQ once polling has begun). A dynamic import() is
// where the bundle runs a module on first use.
const NOT_AT_START = ["node_modules/zod/v4/classic/", "node_modules/yaml/", "node_modules/marked/", "node_modules/ts-fsrs/", "node_modules/bullmq/"];
const atStart = new Set();
for (const queue = ["src/main.ts"]; queue.length > 0; ) {
  const input = queue.pop();
  if (atStart.has(input)) continue;
  atStart.add(input);
  for (const i of result.metafile.inputs[input]?.imports ?? []) if (i.kind !== "dynamic-import" && !i.external) queue.push(i.path);
}
for (const input of atStart)
  if (NOT_AT_START.some((prefix) => input.includes(prefix))) throw new Error(`${input} runs at start (imported statically from src/main.ts); import it on first use`);
const js = result.outputFiles.find((f) => f.path.endsWith(".js"));
console.log(`dist/ bundled: bot.bundle.js ${js.contents.length >> 10} KiB, main.js the loader`);
// BUNDLE_METAFILE=path: esbuild's metafile (what each output holds and imports), for `esbuild --analyze`-like reading.
if (process.env.BUNDLE_METAFILE) writeFileSync(process.env.BUNDLE_METAFILE, JSON.stringify(result.metafile));
