/**
 * Fails when the import graph of src/ (or the folders given) has a cycle, type-only imports included:
 * a cycle between features is a feature reaching into another's insides, or the switchboard's.
 * `npm run check:cycles` (part of `npm run lint`).
 */
import { relative } from "node:path";
import { importCycles } from "./import-cycles.js";

const roots = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ["src"];
const { files, cycles } = importCycles(roots);
for (const cycle of cycles) console.error(`import cycle: ${cycle.map((f) => relative(process.cwd(), f)).join(" → ")}`);
if (cycles.length > 0) process.exit(1);
console.log(`no import cycles in ${files} files (${roots.join(", ")})`);
