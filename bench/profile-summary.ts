/**
 * Summarises a V8 CPU profile (`node --cpu-prof`, e.g. `BENCH_PROFILE=dir npm run bench storm`): the
 * busiest window (default 3 s, where the storm was) by self and inclusive time per function.
 *   npx tsx bench/profile-summary.ts FILE.cpuprofile [--top 15] [--window-ms 3000] [--after-ms 0]
 * (--after-ms: the window starts no earlier than this long after the profile's start, i.e. after start-up.)
 * A function's inclusive time counts each sample once even when the function is on the stack twice.
 *   --children PATTERN: also the inclusive time of each function called straight from one whose label contains
 *   PATTERN (e.g. "update-guard.ts:106"), to see where a frame's time goes.
 *   --between PATTERN: the window runs from the first to the last sample with PATTERN on its stack (e.g.
 *   "answerCallbackQuery": the storm and nothing else), instead of the busiest --window-ms.
 */
import { existsSync, readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[] }

const args = process.argv.slice(2);
const option = (name: string, def: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : def);
const file = args.find((a) => a.endsWith(".cpuprofile"));
if (!file) throw new Error("usage: profile-summary FILE.cpuprofile [--top N] [--window-ms MS]");
const top = option("--top", 15);
const windowUs = option("--window-ms", 3000) * 1000;
const afterUs = option("--after-ms", 0) * 1000;
const childrenOf = args.includes("--children") ? args[args.indexOf("--children") + 1] : undefined;
const between = args.includes("--between") ? args[args.indexOf("--between") + 1] : undefined;

const p = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
// A bundle (dist/main.js) is named through its source map: the original file and line.
const maps = new Map<string, SourceMap | undefined>();
function mapOf(url: string): SourceMap | undefined {
  if (!maps.has(url)) {
    const path = url.startsWith("file:") ? fileURLToPath(url) : url;
    maps.set(url, existsSync(`${path}.map`) ? new SourceMap(JSON.parse(readFileSync(`${path}.map`, "utf8")) as ConstructorParameters<typeof SourceMap>[0]) : undefined);
  }
  return maps.get(url);
}
function label(n: Node): string {
  const { functionName, url, lineNumber, columnNumber } = n.callFrame;
  const found = url ? mapOf(url)?.findEntry(lineNumber, columnNumber) : undefined;
  const entry = found && "originalSource" in found ? (found as { originalSource: string; originalLine: number }) : undefined;
  const where = entry ? `${entry.originalSource.replace(/^.*node_modules\//, "").replace(/^(\.\.\/)+/, "")}:${entry.originalLine + 1}` : `${basename(url)}:${lineNumber + 1}`;
  return `${functionName || "(anonymous)"} ${where}`;
}
const idle = (n: Node | undefined) => !n || ["(idle)", "(program)", "(garbage collector)"].includes(n.callFrame.functionName) && n.callFrame.functionName === "(idle)";

// Sample times, then the window with the most busy samples.
const times: number[] = [];
let t = 0;
for (const d of p.timeDeltas) times.push((t += d));
let best = { from: 0, to: 0, busy: -1 };
const first = Math.max(0, times.findIndex((at) => at >= afterUs));
for (let i = first, j = first, busy = 0; j < times.length; j++) {
  if (!idle(byId.get(p.samples[j] as number))) busy++;
  while ((times[j] as number) - (times[i] as number) > windowUs) if (!idle(byId.get(p.samples[i++] as number))) busy--;
  if (busy > best.busy) best = { from: i, to: j, busy };
}
if (between) {
  const onStack = (id: number) => {
    for (let n = byId.get(id); n; n = byId.get(parent.get(n.id) ?? -1)) if (label(n).includes(between)) return true;
    return false;
  };
  const hits = p.samples.flatMap((id, k) => (k >= first && onStack(id) ? [k] : []));
  best = { from: hits[0] ?? 0, to: hits.at(-1) ?? 0, busy: hits.length };
}

const self = new Map<string, number>();
const byFile = new Map<string, number>();
const fileOf = (l: string) => (l.split(" ").at(-1) ?? "").replace(/:\d+$/, "").replace(/^((@[^/]+\/)?[^/]+)\/.*$/, (m, pkg: string) => (m.startsWith("src/") ? m : pkg));
const incl = new Map<string, number>();
const callees = new Map<string, number>();
let total = 0;
for (let k = best.from; k <= best.to; k++) {
  const id = p.samples[k] as number;
  const dt = (p.timeDeltas[k + 1] ?? 0) / 1000;
  const leaf = byId.get(id);
  if (!leaf || idle(leaf)) continue;
  total += dt;
  self.set(label(leaf), (self.get(label(leaf)) ?? 0) + dt);
  byFile.set(fileOf(label(leaf)), (byFile.get(fileOf(label(leaf))) ?? 0) + dt);
  const seen = new Set<string>();
  const seenCallee = new Set<string>();
  for (let n: Node | undefined = leaf, below: Node | undefined; n; below = n, n = byId.get(parent.get(n.id) ?? -1)) {
    const l = label(n);
    if (childrenOf && l.includes(childrenOf)) {
      const callee = below ? label(below) : "(self)";
      if (!seenCallee.has(callee)) callees.set(callee, (callees.get(callee) ?? 0) + dt);
      seenCallee.add(callee);
    }
    if (seen.has(l)) continue;
    seen.add(l);
    incl.set(l, (incl.get(l) ?? 0) + dt);
  }
}
const print = (title: string, m: Map<string, number>) => {
  console.log(`${title} (of ${total.toFixed(0)} ms busy in the window)`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${v.toFixed(0).padStart(6)} ms ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
};
console.log(`${basename(file)}: window ${((times[best.from] ?? 0) / 1e6).toFixed(1)}–${((times[best.to] ?? 0) / 1e6).toFixed(1)} s`);
print("self", self);
print("self by package (src/ by file)", byFile);
print("inclusive", new Map([...incl].filter(([k]) => !k.startsWith("(root)"))));
if (childrenOf) print(`called from ${childrenOf}, inclusive`, callees);
