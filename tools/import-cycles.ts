/**
 * The import cycles of a source tree, type-only imports, re-exports and `import()` included, found with
 * TypeScript's own import scanner (offline). Used by `npm run check:cycles` (tools/check-cycles.ts).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import ts from "typescript";

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path);
    return /\.(ts|mts)$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

/** The local files a module imports (static, type-only, re-exports and dynamic `import()`). */
function importsOf(file: string, known: Set<string>): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
  return importedFiles
    .map((f) => f.fileName)
    .filter((spec) => spec.startsWith("."))
    .map((spec) => resolve(dirname(file), spec).replace(/\.js$/, ".ts"))
    .filter((path) => known.has(path));
}

/** Every elementary cycle's first occurrence, by depth-first search (Tarjan would be overkill at this size). */
function cyclesOf(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === "open") {
        const cycle = stack.slice(stack.indexOf(next));
        const key = [...cycle].sort().join("|");
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push([...cycle, next]);
        }
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

/** Every cycle among the .ts files under `roots`, each as its files from the first back to the first. */
export function importCycles(roots: string[]): { files: number; cycles: string[][] } {
  const files = roots.flatMap((root) => filesUnder(resolve(root)));
  const known = new Set(files);
  return { files: files.length, cycles: cyclesOf(new Map(files.map((file) => [file, importsOf(file, known)]))) };
}
