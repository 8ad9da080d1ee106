import { execFile } from "node:child_process";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const checker = ["node_modules/.bin/tsx", "tools/check-cycles.ts"];

async function check(...roots: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(checker[0] as string, [checker[1] as string, ...roots]);
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

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

  it("fails on a cycle made of a type-only import and a re-export, naming the files", async () => {
    const dir = await tree({
      "a/index.ts": 'export { b } from "../b/b.js";\nexport type A = number;\n',
      "b/b.ts": 'import type { A } from "../a/index.js";\nexport const b: A = 1;\n',
    });
    const { code, out } = await check(dir);
    expect(code).toBe(1);
    expect(out).toMatch(/import cycle: .*a\/index\.ts → .*b\/b\.ts → .*a\/index\.ts/);
  });

  it("passes a tree without cycles, and src/ as it is", async () => {
    const dir = await tree({ "a.ts": 'import { b } from "./b.js";\nexport const a = b;\n', "b.ts": "export const b = 1;\n" });
    expect((await check(dir)).code).toBe(0);
    expect(await check("src")).toMatchObject({ code: 0 });
  });
});
