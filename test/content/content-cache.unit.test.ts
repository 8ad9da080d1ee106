import { chmod, cp, mkdtemp, readdir, rm, symlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cachedCurriculum, ContentError, loadCurriculum, type ContentCache, type Curriculum } from "../../src/content/index.js";
import { UNUSED_CACHE_MS } from "../../src/content/content-cache.js";
import { contentDir, GOOD_QUIZ, lesson } from "./fixtures.js";

/** A picture's bytes as far as the content check reads them: the PNG signature, then `size` bytes in all. */
const png = (size: number) => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(size)]);

const SAMPLE = path.resolve(import.meta.dirname, "../../content");

const good = (title: string, extra = ""): string => lesson(`id: p1\ntrack: policy\ntitle: ${title}\norder: 1\n${extra}\n${GOOD_QUIZ}`);

async function cacheIn(version = "build-1"): Promise<ContentCache> {
  return { dir: path.join(await mkdtemp(path.join(tmpdir(), "sanxue-cache-test-")), "cache"), version };
}

/** cachedCurriculum, counting the full loads it falls back to. */
function counted(): { load: (dir: string) => Promise<Curriculum>; loads: () => number } {
  let loads = 0;
  return {
    load: (dir) => {
      loads++;
      return loadCurriculum(dir);
    },
    loads: () => loads,
  };
}

describe("the content cache", () => {
  it("gives a start with unchanged content the curriculum the full load gave, without loading", async () => {
    const dir = path.join(await mkdtemp(path.join(tmpdir(), "sanxue-sample-")), "content");
    await cp(SAMPLE, dir, { recursive: true });
    const cache = await cacheIn();
    const { load, loads } = counted();
    const first = await cachedCurriculum(dir, cache, load);
    const second = await cachedCurriculum(dir, cache, load);
    expect([first.cached, second.cached, loads()]).toEqual([false, true, 1]);
    expect(second.curriculum).toEqual(first.curriculum);
    expect(second.curriculum.byId.get(first.curriculum.lessons[0]?.id ?? "")).toBe(second.curriculum.lessons[0]);
    expect(second.curriculum.byTrack.technology.map((l) => l.order)).toEqual(first.curriculum.byTrack.technology.map((l) => l.order));
    expect(second.curriculum.lessons.find((l) => l.imagePath)?.imagePath).toBe(path.join(dir, "images/drip-line.png"));
  });

  it("re-reads a lesson whose text changed, even with the same size and time", async () => {
    const file = "lessons/policy/01-a.md";
    const dir = await contentDir({ [file]: good("旧标题") });
    const cache = await cacheIn();
    const { load, loads } = counted();
    await cachedCurriculum(dir, cache, load);
    const when = new Date("2026-01-01T00:00:00Z");
    await utimes(path.join(dir, file), when, when);
    await cachedCurriculum(dir, cache, load);
    await writeFile(path.join(dir, file), good("新标题"));
    await utimes(path.join(dir, file), when, when);
    const changed = await cachedCurriculum(dir, cache, load);
    expect(changed.cached).toBe(false);
    expect(changed.curriculum.lessons[0]?.title).toBe("新标题");
    expect(loads()).toBe(3);
  });

  it("re-reads when a file is added, removed or a picture replaced", async () => {
    const dir = await contentDir({ "lessons/policy/01-a.md": good("标题", "image: images/a.png"), "images/a.png": png(10) });
    const cache = await cacheIn();
    const { load } = counted();
    await cachedCurriculum(dir, cache, load);
    await writeFile(path.join(dir, "surveys-note.txt"), "x");
    expect((await cachedCurriculum(dir, cache, load)).cached).toBe(false);
    await rm(path.join(dir, "surveys-note.txt"));
    expect((await cachedCurriculum(dir, cache, load)).cached).toBe(false);
    expect((await cachedCurriculum(dir, cache, load)).cached).toBe(true);
    await writeFile(path.join(dir, "images/a.png"), png(20));
    expect((await cachedCurriculum(dir, cache, load)).cached).toBe(false);
  });

  it("re-reads when a linked picture's target changes", async () => {
    const dir = await contentDir({ "lessons/policy/01-a.md": good("标题", "image: images/a.png"), "pics/one.png": png(10), "pics/two.png": png(10) });
    await symlink(path.join(dir, "pics"), path.join(dir, "images"));
    await symlink(path.join(dir, "pics/one.png"), path.join(dir, "pics/a.png"));
    const cache = await cacheIn();
    const { load } = counted();
    await cachedCurriculum(dir, cache, load);
    await rm(path.join(dir, "pics/a.png"));
    await symlink(path.join(dir, "pics/two.png"), path.join(dir, "pics/a.png"));
    expect((await cachedCurriculum(dir, cache, load)).cached).toBe(false);
  });

  it("is not used by another build of the bot", async () => {
    const dir = await contentDir({ "lessons/policy/01-a.md": good("标题") });
    const cache = await cacheIn("build-1");
    const { load } = counted();
    await cachedCurriculum(dir, cache, load);
    expect((await cachedCurriculum(dir, { ...cache, version: "build-2" }, load)).cached).toBe(false);
  });

  it("falls back to a full load when the cache file is broken", async () => {
    const dir = await contentDir({ "lessons/policy/01-a.md": good("标题") });
    const cache = await cacheIn();
    const { load } = counted();
    await cachedCurriculum(dir, cache, load);
    const [file] = await readdir(cache.dir);
    await writeFile(path.join(cache.dir, file ?? ""), '{"key":');
    const again = await cachedCurriculum(dir, cache, load);
    expect(again.cached).toBe(false);
    expect(again.curriculum.lessons[0]?.title).toBe("标题");
  });

  it("never keeps content with problems: every start reports them", async () => {
    const dir = await contentDir({ "lessons/policy/01-a.md": lesson("id: p1\ntrack: policy\norder: 1") });
    const cache = await cacheIn();
    const { load } = counted();
    await expect(cachedCurriculum(dir, cache, load)).rejects.toBeInstanceOf(ContentError);
    await expect(cachedCurriculum(dir, cache, load)).rejects.toBeInstanceOf(ContentError);
    expect(await readdir(cache.dir)).toEqual([]);
  });

  it("does not use a cache folder others can write to", async () => {
    const dir = await contentDir({ "lessons/policy/01-a.md": good("标题") });
    const cache = await cacheIn();
    const { load, loads } = counted();
    await cachedCurriculum(dir, cache, load);
    await chmod(cache.dir, 0o777);
    expect((await cachedCurriculum(dir, cache, load)).cached).toBe(false);
    expect(loads()).toBe(2);
  });

  it("removes other folders' caches unused for a month when it saves, and keeps the ones in use", async () => {
    const cache = await cacheIn();
    const a = await contentDir({ "lessons/policy/01-a.md": good("甲") });
    const b = await contentDir({ "lessons/policy/01-a.md": good("乙") });
    const { load } = counted();
    await cachedCurriculum(a, cache, load);
    const [aFile = ""] = await readdir(cache.dir);
    const old = new Date(Date.now() - UNUSED_CACHE_MS - 60_000);
    // A file of some other kind is never touched.
    await writeFile(path.join(cache.dir, "notes.json"), "{}");
    await utimes(path.join(cache.dir, "notes.json"), old, old);
    await utimes(path.join(cache.dir, aFile), old, old);
    // Used again (a hit) it counts as in use: b's save keeps it.
    expect((await cachedCurriculum(a, cache, load)).cached).toBe(true);
    await cachedCurriculum(b, cache, load);
    expect(await readdir(cache.dir)).toHaveLength(3);
    // Unused for a month: the next save removes it, and only it.
    await utimes(path.join(cache.dir, aFile), old, old);
    const c = await contentDir({ "lessons/policy/01-a.md": good("丙") });
    await cachedCurriculum(c, cache, load);
    const left = await readdir(cache.dir);
    expect(left).not.toContain(aFile);
    expect(left).toContain("notes.json");
    expect(left.filter((n) => n.startsWith("content-"))).toHaveLength(2);
    expect((await cachedCurriculum(a, cache, load)).cached).toBe(false);
  });
});
