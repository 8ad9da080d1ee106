// The organiser console's page (src/console/page): preact and uPlot bundled by esbuild into dist/console-page/, names
// carrying their content hash, and an index.html that loads them. No CDN: the bot serves every file itself.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { build } from "esbuild";

export async function buildConsolePage(outdir = "dist/console-page") {
  const result = await build({
    entryPoints: ["src/console/page/main.tsx"],
    outdir,
    entryNames: "app-[hash]",
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2020",
    minify: true,
    jsx: "automatic",
    jsxImportSource: "preact",
    tsconfig: "src/console/page/tsconfig.json",
    legalComments: "none",
    logLevel: "warning",
    write: false,
    metafile: true,
  });
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  let js = "";
  let css = "";
  for (const file of result.outputFiles) {
    writeFileSync(file.path, file.contents);
    if (file.path.endsWith(".js")) js = basename(file.path);
    if (file.path.endsWith(".css")) css = basename(file.path);
  }
  const html = [
    "<!doctype html>",
    '<html lang="zh">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">',
    "<title>Sanxue</title>",
    css ? `<link rel="stylesheet" href="${css}">` : "",
    `<script type="module" src="${js}"></script>`,
    "</head>",
    '<body><div id="app"></div></body>',
    "</html>",
    "",
  ].filter(Boolean).join("\n");
  writeFileSync(`${outdir}/index.html`, html);
  return { js, css };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { js, css } = await buildConsolePage();
  console.log(`dist/console-page built (${js}, ${css})`);
}
