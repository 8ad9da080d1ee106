// dist/main.js, written by tools/bundle.mjs from this file: starts the bot's bundle (dist/bot.bundle.js) with V8's
// code cache. Compiling the bundle's source was a third of the start-up; a start with the cache reads the compiled
// code instead (Node 22 has module.enableCompileCache for this; Node 20 has vm.Script's cachedData).
// The cache is written once per build, a few seconds after the start, so it holds what the start compiled; it lives
// in a private folder of the system's temporary folder (like the content cache), named by the build's id: V8 itself
// checks only the source's length, the V8 version and its flags. A missing, stale or refused cache means the start
// compiles from the source, as without one.
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import vm from "node:vm";

/* global URL, setTimeout */

// V8 optimises a function with TurboFan once it has run a budget of bytecode; the bot's work is many short updates
// in bursts, and at the default budget a storm on a started bot spent as much CPU compiling on V8's helper threads
// as handling the presses (issue 11, docs/press-storms.md). Eight times the budget (V8's default is 67584) leaves the
// hot loops of reports and exports optimised a little later, and the storms' paths in V8's baseline code. Set before
// the bundle compiles, so the code cache is made and checked under the same flags.
v8.setFlagsFromString("--interrupt-budget=540672");

const BUILD = "__SANXUE_BUILD__";
/** Long enough for the start (getMe, Redis, the first getUpdates, the outbox) to have compiled what it needs. */
const WRITE_AFTER_MS = 2000;

const bundle = fileURLToPath(new URL("./bot.bundle.js", import.meta.url));
// The content cache's folder (defaultCacheDir in src/content/content-cache.ts); this file runs before the bundle.
const cacheDir = join(tmpdir(), `sanxue-${process.getuid?.() ?? "user"}`);
const cacheFile = join(cacheDir, `code-${BUILD}-${process.version}-${process.arch}.v8`);

/** True when the folder exists (or was made) and only this user can read and write it: a planted cache is code. (The
 * content cache's `privateFolder` checks the same, asynchronously, from inside the bundle.) */
function privateDir(dir) {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const info = lstatSync(dir);
    const uid = process.getuid?.();
    return info.isDirectory() && (info.mode & 0o077) === 0 && (uid === undefined || info.uid === uid);
  } catch {
    return false;
  }
}

/** The bundle compiled, with the cache when there is a usable one; the cache's bytes are garbage once it returns. */
function compile(usable) {
  let cachedData;
  if (usable) {
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      // no cache yet: this start writes one
    }
  }
  // The bundle is one function expression, (function (exports, require, module, __filename, __dirname) { … }). It
  // has no import(): the report libraries outside it are required on first use (tools/bundle.mjs).
  const script = new vm.Script(readFileSync(bundle, "utf8"), { filename: bundle, cachedData });
  const status = !usable ? "unusable" : cachedData === undefined ? "none" : script.cachedDataRejected ? "refused" : "used";
  return { script, status };
}

const usable = privateDir(cacheDir);
const { script, status } = compile(usable);
// What became of the cache, for the bot's start-up line (src/main.ts).
globalThis.__sanxueCodeCache = status;
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dirname(bundle));

if (usable && status !== "used") {
  setTimeout(() => {
    const temp = `${cacheFile}.${process.pid}`;
    try {
      writeFileSync(temp, script.createCachedData(), { mode: 0o600 });
      renameSync(temp, cacheFile);
      // The caches of earlier builds (or Node versions) are of no more use.
      for (const old of readdirSync(cacheDir)) if (/^code-.*\.v8$/.test(old) && join(cacheDir, old) !== cacheFile) rmSync(join(cacheDir, old), { force: true });
    } catch {
      // Not written (a full disk, a read-only folder): the next start compiles from the source, nothing else changes.
    }
  }, WRITE_AFTER_MS).unref();
}
