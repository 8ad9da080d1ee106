// After `tsc`: dist/main.js becomes one ESM bundle of the bot and its dependencies. Loading ~160 compiled modules and
// the CommonJS packages under them (each one parsed for its exports) was most of the start-up; one file is not.
// The lazily loaded report libraries stay outside (loaded from node_modules on first use), so does the native resvg.
// Every other file tsc wrote stays in dist/ (the doctor, `node dist/ops/doctor-cli.js`, runs from there).
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { build } from "esbuild";
import { standIns } from "./bundle-stubs/index.mjs";

// The build's id: the content cache (src/content/content-cache.ts) is kept only for the code that wrote it.
const BUILD = createHash("sha256");
for (const file of ["package-lock.json", ...readdirSync("src", { recursive: true }).map((f) => `src/${f}`).sort()])
  if (statSync(file).isFile()) BUILD.update(`${file}\0`).update(readFileSync(file));

const LAZY = ["exceljs", "echarts", "@resvg/resvg-js"];
const result = await build({
  entryPoints: ["src/main.ts"],
  outdir: "dist",
  bundle: true,
  // What is imported lazily (BullMQ, started after polling has begun) is a chunk of its own: not compiled before
  // the first getUpdates. Chunks sit beside main.js, so __dirname means dist/ in each.
  splitting: true,
  chunkNames: "chunk-[hash]",
  platform: "node",
  format: "esm",
  target: "node20",
  external: LAZY,
  sourcemap: true,
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: "none",
  logLevel: "warning",
  // The ES module builds where a package has one (bullmq): what the bot does not import is left out.
  mainFields: ["module", "main"],
  write: false,
  metafile: true,
  // Smaller stand-ins for a few modules the bot does not need whole (tools/bundle-stubs/).
  ...standIns,
  // i18n finds the locale folders next to the modules: from the bundle they are beside it, not one level up.
  define: { SANXUE_BUNDLED: "true", SANXUE_BUILD: JSON.stringify(BUILD.digest("hex").slice(0, 16)) },
  // Some CommonJS dependencies call require() and read __dirname, which an ES module has not.
  banner: {
    js: [
      'import { createRequire as __sanxueRequire } from "node:module";',
      'import { fileURLToPath as __sanxuePath } from "node:url";',
      "const require = __sanxueRequire(import.meta.url);",
      "const __filename = __sanxuePath(import.meta.url);",
      'const __dirname = __sanxuePath(new URL(".", import.meta.url));',
    ].join("\n"),
  },
});
// esbuild keeps non-ASCII characters in regular expression literals; one of them makes V8 hold the whole source
// as UTF-16, twice the memory. \uXXXX means the same character there (and in strings and comments).
mkdirSync("dist", { recursive: true });
// Chunks of an earlier build would stay beside the new ones otherwise (their names are hashes).
for (const old of readdirSync("dist")) if (old.startsWith("chunk-")) rmSync(`dist/${old}`);
const NON_ASCII = /[^ -~\t\n\r]/g;
for (const file of result.outputFiles) {
  const js = file.path.endsWith(".js");
  if (js && /\\[^ -~\t\n\r]/.test(file.text)) throw new Error(`${file.path}: an escaped non-ASCII character; write it as \\uXXXX in the source`);
  const text = js ? file.text.replace(NON_ASCII, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`) : file.text;
  writeFileSync(file.path, text);
}
// What must not be compiled before the first getUpdates: the files main.js imports statically, and theirs, hold none
// of these (zod's classic API and the YAML parser load with the content check, on a content-cache miss; marked with
// the first lesson sent; ts-fsrs with the first answer graded).
const NOT_AT_START = ["node_modules/zod/v4/classic/", "node_modules/yaml/", "node_modules/marked/", "node_modules/ts-fsrs/"];
const atStart = new Set();
for (const queue = ["dist/main.js"]; queue.length > 0; ) {
  const out = queue.pop();
  if (atStart.has(out)) continue;
  atStart.add(out);
  for (const i of result.metafile.outputs[out].imports) if (i.kind === "import-statement" && !i.external) queue.push(i.path);
}
for (const out of atStart)
  for (const input of Object.keys(result.metafile.outputs[out].inputs))
    if (NOT_AT_START.some((prefix) => input.includes(prefix))) throw new Error(`${input} is compiled at start (in ${out}); import it on first use`);
const sizes = result.outputFiles.filter((f) => f.path.endsWith(".js")).map((f) => `${basename(f.path)} ${f.contents.length >> 10} KiB`);
console.log(`dist/ bundled: ${sizes.join(", ")}`);
// BUNDLE_METAFILE=path: esbuild's metafile (what each output holds and imports), for `esbuild --analyze`-like reading.
if (process.env.BUNDLE_METAFILE) writeFileSync(process.env.BUNDLE_METAFILE, JSON.stringify(result.metafile));
