import { execFile } from "node:child_process";
import { chmod, mkdir, mkdtemp, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const run = promisify(execFile);
const cacheDirName = `sanxue-${process.getuid?.() ?? "user"}`;

/**
 * dist/ as tools/bundle.mjs writes it, with a small bundle in place of the bot: the loader (tools/bundle-loader.mjs,
 * with a build id) and a bundle that prints what the loader said of the cache and what its CommonJS arguments are.
 * The bundle stays up 2.5 s, long enough for the loader to write the cache.
 */
async function distWith(build: string): Promise<{ dir: string; temp: string; start(): Promise<Record<string, unknown>> }> {
  const dir = await mkdtemp(path.join(tmpdir(), "sanxue-loader-"));
  const temp = path.join(dir, "tmp");
  await mkdir(temp);
  const loader = await readFile(path.join(ROOT, "tools/bundle-loader.mjs"), "utf8");
  await writeFile(path.join(dir, "main.js"), loader.replace("__SANXUE_BUILD__", build));
  await writeFile(path.join(dir, "package.json"), '{ "type": "module" }');
  await writeFile(
    path.join(dir, "bot.bundle.js"),
    `(function (exports, require, module, __filename, __dirname) {"use strict";
const fn = () => require("node:path").basename(__filename);
console.log(JSON.stringify({ cache: globalThis.__sanxueCodeCache, file: fn(), dir: __dirname, strict: this === undefined }));
setTimeout(() => undefined, 2500);
})`,
  );
  return {
    dir,
    temp,
    async start() {
      const { stdout } = await run(process.execPath, [path.join(dir, "main.js")], { env: { PATH: process.env.PATH ?? "", TMPDIR: temp } });
      return JSON.parse(stdout) as Record<string, unknown>;
    },
  };
}

const caches = async (temp: string) => (await readdir(path.join(temp, cacheDirName))).filter((f) => f.endsWith(".v8"));

describe.concurrent("the compiled start's loader (dist/main.js)", () => {
  it("runs the bundle as a strict CommonJS function, writes V8's code cache on the first start and uses it on the next", async () => {
    const dist = await distWith("build1");
    expect(await dist.start()).toEqual({ cache: "none", file: "bot.bundle.js", dir: dist.dir, strict: true });
    const written = await caches(dist.temp);
    expect(written).toEqual([expect.stringMatching(/^code-build1-v\d+.*\.v8$/)]);
    const info = await stat(path.join(dist.temp, cacheDirName, written[0]!));
    expect(info.mode & 0o077).toBe(0);
    expect((await dist.start()).cache).toBe("used");
  });

  it("refuses a broken cache, starts from the source and writes a good one", async () => {
    const dist = await distWith("build2");
    await dist.start();
    const [file] = await caches(dist.temp);
    const cachePath = path.join(dist.temp, cacheDirName, file!);
    const bytes = await readFile(cachePath);
    await writeFile(cachePath, bytes.subarray(0, bytes.length >> 1));
    expect((await dist.start()).cache).toBe("refused");
    expect((await dist.start()).cache).toBe("used");
  });

  it("drops the caches of earlier builds when it writes its own", async () => {
    const dist = await distWith("build3");
    await mkdir(path.join(dist.temp, cacheDirName), { mode: 0o700 });
    await writeFile(path.join(dist.temp, cacheDirName, "code-oldbuild-v20.0.0-x64.v8"), "old");
    await writeFile(path.join(dist.temp, cacheDirName, "content-keep.json"), "{}");
    await dist.start();
    expect(await caches(dist.temp)).toEqual([expect.stringMatching(/^code-build3-/)]);
    expect(await readdir(path.join(dist.temp, cacheDirName))).toContain("content-keep.json");
  });

  it("uses no cache from a folder other users can write (a planted cache would be code), and writes none there", async () => {
    const dist = await distWith("build4");
    await mkdir(path.join(dist.temp, cacheDirName));
    await chmod(path.join(dist.temp, cacheDirName), 0o777);
    expect((await dist.start()).cache).toBe("unusable");
    expect(await caches(dist.temp)).toEqual([]);
  });
});
