import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { importCycles } from "../../tools/import-cycles.js";

describe("the import-cycle check (npm run lint)", () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  async function tree(files: Record<string, string>): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), "cycles-"));
    dirs.push(dir);
    for (const [name, text] of Object.entries(files)) {
      await mkdir(join(dir, name, ".."), { recursive: true });
      await writeFile(join(dir, name), text);
    }
    return dir;
  }

  it("finds a cycle made of a type-only import and a re-export, naming the files", async () => {
    const dir = await tree({
      "a/index.ts": 'export { b } from "../b/b.js";\nexport type A = number;\n',
      "b/b.ts": 'import type { A } from "../a/index.js";\nexport const b: A = 1;\n',
    });
    expect(importCycles([dir]).cycles).toEqual([[join(dir, "a/index.ts"), join(dir, "b/b.ts"), join(dir, "a/index.ts")]]);
  });

  it("finds none in a tree without cycles, nor in src/ as it is", async () => {
    const dir = await tree({ "a.ts": 'import { b } from "./b.js";\nexport const b2 = b;\n', "b.ts": "export const b = 1;\n" });
    expect(importCycles([dir]).cycles).toEqual([]);
    expect(importCycles(["src"]).cycles).toEqual([]);
  });
});
