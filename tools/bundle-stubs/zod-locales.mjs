// Stands in for zod's index of its 50 message languages in the bundle (tools/bundle.mjs): zod re-exports them all as
// `z.locales` and `z.core.locales`, which nothing here reads; its own default, English, is imported by zod directly.
// The other 49 were 290 KiB of source compiled at every start.
export { default as en } from "zod/v4/locales/en.js";
