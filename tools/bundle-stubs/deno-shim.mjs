// Stands in for @deno/shim-deno in the bundle (tools/bundle.mjs). @grammyjs/i18n is written for Deno and reaches the
// file system through this `Deno` object: reading a locale file or walking a locales folder, its path helpers' cwd()
// and build.os. We give it Node's file system for exactly those calls; the full shim (the whole Deno namespace,
// 130 KiB) was compiled and run at every start. The bot itself hands the plugin its sources (src/shared/i18n.ts).
import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { lstat, readdir, readFile, realpath, stat } from "node:fs/promises";

const info = (s) => ({ isFile: s.isFile(), isDirectory: s.isDirectory(), isSymlink: s.isSymbolicLink(), size: s.size });
const entry = (d) => ({ name: d.name, isFile: d.isFile(), isDirectory: d.isDirectory(), isSymlink: d.isSymbolicLink() });

export const Deno = {
  build: { os: process.platform === "win32" ? "windows" : process.platform },
  cwd: () => process.cwd(),
  readTextFile: (path) => readFile(path, "utf8"),
  readTextFileSync: (path) => readFileSync(path, "utf8"),
  readFile: async (path) => new Uint8Array(await readFile(path)),
  readFileSync: (path) => new Uint8Array(readFileSync(path)),
  stat: async (path) => info(await stat(path)),
  statSync: (path) => info(statSync(path)),
  lstat: async (path) => info(await lstat(path)),
  lstatSync: (path) => info(lstatSync(path)),
  realPath: (path) => realpath(path),
  realPathSync: (path) => realpathSync(path),
  readDir: async function* (path) {
    for (const d of await readdir(path, { withFileTypes: true })) yield entry(d);
  },
  readDirSync: (path) => readdirSync(path, { withFileTypes: true }).map(entry),
};
