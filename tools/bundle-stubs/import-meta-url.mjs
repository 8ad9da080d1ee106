// import.meta.url in the CommonJS bundle (tools/bundle.mjs): the bundle's own file URL, as each module's was beside it.
import { pathToFileURL } from "node:url";

/* global __filename -- the bundle's wrapper function's argument (tools/bundle.mjs) */

export const __sanxueImportMetaUrl = pathToFileURL(__filename).href;
