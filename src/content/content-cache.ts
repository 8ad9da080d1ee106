import { createHash } from "node:crypto";
import type { Dirent } from "node:fs";
import { lstat, mkdir, readdir, readFile, realpath, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { assembleCurriculum } from "./types.js";
import type { ContentProblem, Curriculum, Lesson, QuizBank, Schedule, Survey } from "./types.js";

/**
 * The checked curriculum of a start with unchanged content, so that start skips YAML, zod and the lesson checks
 * (about a sixth of the start-up, and the parsers' source). Kept in a file keyed by a fingerprint of every file
 * under CONTENT_DIR (path, size, mtime, and the bytes of the text files) and of the code that checks them
 * (`version`): any change there is a miss, and a miss, a missing or a broken cache file just means a full load.
 */
export interface ContentCache {
  /** Folder for the cache files; it must be private to this user (a shared one is not used). */
  dir: string;
  /** Changes whenever the loading code may have (the build's id). */
  version: string;
}

/** The folder production uses: a private one in the system's temporary folder. */
export function defaultCacheDir(): string {
  return path.join(tmpdir(), `sanxue-${process.getuid?.() ?? "user"}`);
}

const TEXT = /\.(md|ya?ml)$/i;
const FORMAT = 1;
/** A content folder's cache unused this long is removed at the next save (test runs and moved folders leave them). */
export const UNUSED_CACHE_MS = 30 * 24 * 3600 * 1000;

/** The cached curriculum of `dir`, or `load(dir)` (saved for the next start when it succeeds). */
export async function cachedCurriculum(
  dir: string,
  cache: ContentCache,
  load: (dir: string) => Promise<Curriculum>,
): Promise<{ curriculum: Curriculum; cached: boolean }> {
  const key = await fingerprint(dir, cache.version).catch(() => undefined);
  // One file per content folder: a change replaces it rather than adding one.
  const name = createHash("sha256").update(path.resolve(dir)).digest("hex").slice(0, 16);
  const file = key && (await privateFolder(cache.dir)) ? path.join(cache.dir, `content-${name}.json`) : undefined;
  if (key && file) {
    const hit = await readFile(file, "utf8").then((text) => revive(text, key), () => undefined);
    if (hit) {
      // Its time says when it was last used, so that other folders' saves keep it.
      const now = new Date();
      await utimes(file, now, now).catch(() => undefined);
      return { curriculum: hit, cached: true };
    }
  }
  const curriculum = await load(dir);
  // Content changed while it was read: the key no longer describes it, so nothing is saved.
  if (key && file && (await fingerprint(dir, cache.version).catch(() => undefined)) === key) {
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, serialise(curriculum, key), { mode: 0o600 })
      .then(() => rename(temp, file))
      .catch(() => undefined);
    await pruneUnused(cache.dir, file);
  }
  return { curriculum, cached: false };
}

/** Removes the other content folders' caches that no start used for UNUSED_CACHE_MS. */
async function pruneUnused(dir: string, keep: string, now = Date.now()): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const file = path.join(dir, name);
    if (file === keep || !/^content-[0-9a-f]{16}\.json$/.test(name)) continue;
    const info = await stat(file).catch(() => undefined);
    if (info && now - info.mtimeMs > UNUSED_CACHE_MS) await rm(file, { force: true }).catch(() => undefined);
  }
}

/** True when `dir` exists (or was made) as a folder only this user can read and write. */
async function privateFolder(dir: string): Promise<boolean> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const info = await lstat(dir);
    const uid = process.getuid?.();
    return info.isDirectory() && (info.mode & 0o077) === 0 && (uid === undefined || info.uid === uid);
  } catch {
    return false;
  }
}

/** Every entry under `dir` (symbolic links by their target), the text files by content. */
async function fingerprint(dir: string, version: string): Promise<string> {
  const root = path.resolve(dir);
  const hash = createHash("sha256").update(`${FORMAT}\0${version}\0${root}\0${await realpath(root)}\0`);
  const walk = async (rel: string, seen: Set<string>): Promise<void> => {
    const entries: Dirent[] = await readdir(path.join(root, rel), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const relPath = path.join(rel, entry.name);
      const absolute = path.join(root, relPath);
      const link = entry.isSymbolicLink() ? await realpath(absolute).catch(() => "(broken)") : "";
      const info = await stat(absolute).catch(() => undefined);
      hash.update(`${relPath}\0${link}\0`);
      if (!info) continue;
      if (info.isDirectory()) {
        // A link back up the tree is walked once.
        const real = link || (await realpath(absolute));
        if (seen.has(real)) continue;
        await walk(relPath, new Set([...seen, real]));
      } else {
        hash.update(`${info.size}\0${info.mtimeMs}\0`);
        if (TEXT.test(entry.name)) hash.update(await readFile(absolute));
      }
    }
  };
  await walk("", new Set([await realpath(root)]));
  return hash.digest("hex");
}

/** What the file holds: the curriculum's plain parts; the indexes are rebuilt from them. */
interface Saved {
  key: string;
  dir: string;
  schedule: Schedule;
  lessons: Lesson[];
  quizBanks: QuizBank[];
  surveys: Survey[];
  notes: ContentProblem[];
}

function serialise(c: Curriculum, key: string): string {
  const saved: Saved = { key, dir: c.dir, schedule: c.schedule, lessons: c.lessons, quizBanks: [...c.quizBanks.values()], surveys: [...c.surveys.values()], notes: c.notes };
  return JSON.stringify(saved);
}

/** The curriculum as loadCurriculum returned it, or undefined when the file is not for `key`. */
function revive(text: string, key: string): Curriculum | undefined {
  try {
    const saved = JSON.parse(text) as Saved;
    if (saved.key !== key) return undefined;
    return assembleCurriculum(saved.dir, saved.schedule, saved.lessons, saved.quizBanks, saved.surveys, saved.notes);
  } catch {
    return undefined;
  }
}
