// After `tsc`: dist/main.js becomes one ESM bundle of the bot and its dependencies. Loading ~160 compiled modules and
// the CommonJS packages under them (each one parsed for its exports) was most of the start-up; one file is not.
// The lazily loaded report libraries stay outside (loaded from node_modules on first use), so does the native resvg.
// Every other file tsc wrote stays in dist/ (the doctor, `node dist/ops/doctor-cli.js`, runs from there).
import { mkdirSync, writeFileSync } from "node:fs";
import { build } from "esbuild";

const LAZY = ["exceljs", "echarts", "@resvg/resvg-js"];
const result = await build({
  entryPoints: ["src/main.ts"],
  outfile: "dist/main.js",
  bundle: true,
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
  // i18n finds the locale folders next to the modules: from the bundle they are beside it, not one level up.
  define: { SANXUE_BUNDLED: "true" },
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
const NON_ASCII = /[^ -~\t\n\r]/g;
for (const file of result.outputFiles) {
  const js = file.path.endsWith(".js");
  if (js && /\\[^ -~\t\n\r]/.test(file.text)) throw new Error(`${file.path}: an escaped non-ASCII character; write it as \\uXXXX in the source`);
  const text = js ? file.text.replace(NON_ASCII, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`) : file.text;
  writeFileSync(file.path, text);
}
console.log(`dist/main.js bundled (${(result.outputFiles.find((f) => f.path.endsWith(".js"))?.contents.length ?? 0) >> 10} KiB)`);
