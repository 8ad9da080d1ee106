#!/usr/bin/env node
// Names each test file after what it needs: *.unit.test.ts (no network: no Redis, no simulator, no
// sockets), *.redis.test.ts (a real Redis, no bot), *.e2e.test.ts (the bot process, or an in-process
// bot, against the simulator). It reads what a file uses (its imports, and those of the test helpers it
// imports, followed through test/) and prints the renames; `--apply` does them with `git mv`.
//   node tools/classify-tests.mjs            # what would move, and why
//   node tools/classify-tests.mjs --apply    # git mv them (run from the repository root)
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const ROOT = process.cwd();
const TEST = join(ROOT, "test");

/** What makes a file an end-to-end test: it starts the simulator, a bot process or the in-process app. */
const E2E = [/\bstartStage\(/, /\bstartAppStage\(/, /\bbuildServices\(/, /\bstartBot\(/, /\bcreateSimulator\(/];
/** What makes it a Redis test (when it is not end-to-end): it starts a redis-server or a cluster. */
const REDIS = [/\bstartRedis\(/, /\bstartRedisCluster\(/, /\bstartEmbeddedRedis\(/];
/** The helpers that define those starts: a file that only imports a constant from one needs nothing. */
const STARTERS = ["scene.ts", "in-process.ts", "bot-process.ts", "redis-server.ts", "redis-cluster.ts"].map((f) => join(TEST, "support", f));
/** Sockets or HTTP without Redis or the simulator: not a unit test; said, so a person decides. */
const NET = [/from "node:(net|http|https|dgram)"/, /\bfetch\(/];

const KINDS = ["unit", "redis", "e2e"];
// Earlier names that said where a test ran rather than what it needs.
const OLD_SUFFIXES = ["integration", "int", "cluster", "unit", "redis", "e2e"];

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** The file's text and that of every test/ helper it imports, transitively (not the starters'). */
function reach(file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(file, "utf8");
  for (const [, spec] of text.matchAll(/from\s+"(\.[^"]+)"/g)) {
    const target = resolve(dirname(file), spec.replace(/\.js$/, ".ts"));
    if (target.startsWith(TEST) && existsSync(target) && !STARTERS.includes(target)) reach(target, seen);
  }
  return seen;
}

function kindOf(file) {
  const texts = [...reach(file)].map((f) => readFileSync(f, "utf8"));
  const uses = (patterns) => texts.some((t) => patterns.some((p) => p.test(t)));
  if (uses(E2E)) return { kind: "e2e" };
  if (uses(REDIS)) return { kind: "redis" };
  if (uses(NET)) return { kind: "e2e", note: "opens sockets without Redis or the simulator" };
  return { kind: "unit" };
}

/** `foo.integration.test.ts` → `foo`; `foo.test.ts` → `foo`. */
function baseOf(file) {
  let base = file.replace(/\.test\.ts$/, "");
  for (;;) {
    const dot = base.lastIndexOf(".");
    const suffix = dot > base.lastIndexOf("/") ? base.slice(dot + 1) : "";
    if (!OLD_SUFFIXES.includes(suffix)) return { base, dropped: "" };
    return { base: base.slice(0, dot), dropped: suffix };
  }
}

const files = walk(TEST).filter((f) => f.endsWith(".test.ts")).sort();
const plan = [];
const taken = new Set(files.map((f) => relative(ROOT, f)));
for (const file of files) {
  const from = relative(ROOT, file);
  const { kind, note } = kindOf(file);
  const { base, dropped } = baseOf(from);
  let to = `${base}.${kind}.test.ts`;
  // Two files of one name and kind (long-429.integration and long-429.e2e): the in-process one says so.
  if (to !== from && taken.has(to)) to = `${base}.${dropped === "integration" || dropped === "int" ? "in-process" : dropped}.${kind}.test.ts`;
  if (to !== from && taken.has(to)) throw new Error(`${from}: ${to} is taken`);
  taken.delete(from);
  taken.add(to);
  plan.push({ from, to, kind, note });
}

const apply = process.argv.includes("--apply");
for (const { from, to, note } of plan) {
  if (from === to) continue;
  console.log(`${from} -> ${to}${note ? `  (${note})` : ""}`);
  if (apply) execFileSync("git", ["mv", from, to], { cwd: ROOT, stdio: "inherit" });
}
const counts = Object.fromEntries(KINDS.map((k) => [k, plan.filter((p) => p.kind === k).length]));
console.log(`${plan.length} test files: ${KINDS.map((k) => `${counts[k]} ${k}`).join(", ")}; ${plan.filter((p) => p.from !== p.to).length} to rename`);
