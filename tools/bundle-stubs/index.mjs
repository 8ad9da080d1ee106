// The modules the production bundle (tools/bundle.mjs) replaces with smaller stand-ins, as esbuild options. Each one
// is a file here that says why; test/shared/bundle-stand-ins.unit.test.ts runs them under the libraries that use them.
import { fileURLToPath, URL } from "node:url";

const here = (file) => fileURLToPath(new URL(file, import.meta.url));

/** zod's `../locales/index.js`, imported from inside zod, becomes English only (zod-locales.mjs). */
const zodEnglishOnly = {
  name: "zod-english-only",
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer) ? { path: here("zod-locales.mjs") } : undefined,
    );
  },
};

export const standIns = {
  // node-fetch (grammY's) falls back to whatwg-url only where node:url has no URL class (Node 20 has one);
  // @grammyjs/i18n needs a handful of Deno's file calls, not the whole Deno shim; prom-client no tracing API.
  alias: { "whatwg-url": here("whatwg-url.mjs"), "@deno/shim-deno": here("deno-shim.mjs"), "@opentelemetry/api": here("opentelemetry-api.mjs") },
  plugins: [zodEnglishOnly],
};
