import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { stringify } from "yaml";
import { ContentError, formatProblem, loadCurriculum, type MediaKind, type Track } from "../../content/index.js";
import { sniff, type MediaField } from "../../content/media-sniff.js";
import type { MediaUploadsRepository } from "../media-uploads.repository.js";
import type { AuthoringRepository } from "./authoring.repository.js";
import type { WrittenLesson, WrittenMedia } from "./authoring.types.js";
import { rendersBack, telegramHtmlToMarkdown } from "./html-markdown.js";

/** Fetches a medium the author sent by its Telegram file id (getFile, then the file's URL). */
export type DownloadFile = (fileId: string) => Promise<Buffer>;

export interface ExportDeps {
  repo: Pick<AuthoringRepository, "all">;
  download: DownloadFile;
  /** Where the exported files' ids are remembered by content hash, so the files are not uploaded again. */
  uploads?: Pick<MediaUploadsRepository, "remember">;
  /** The content folder written into (CONTENT_DIR or a copy of it). */
  dir: string;
  selfHostedApi?: boolean;
}

export interface ExportReport {
  /** Files written, relative to the content folder. */
  written: string[];
  /** One line per lesson that was not written, and why. */
  skipped: string[];
  /** Written, but something of the lesson could not be kept as it was. */
  warnings: string[];
}

/** The export could not be done; nothing was left written. */
export class ExportError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "ExportError";
  }
}

/** Which front-matter field a downloaded medium goes into, from what its bytes are. */
const FIELD_OF: Record<string, MediaField> = {
  jpeg: "image",
  png: "image",
  webp: "image",
  mp4: "video",
  mp3: "audio",
  m4a: "audio",
  "ogg-opus": "voice",
  pdf: "documents",
};
const EXTENSION: Record<string, string> = { jpeg: "jpg", png: "png", webp: "webp", mp4: "mp4", mp3: "mp3", m4a: "m4a", "ogg-opus": "ogg", pdf: "pdf" };
const KIND_OF_FIELD: Record<MediaField, MediaKind> = { image: "photo", video: "video", audio: "audio", voice: "voice", documents: "document" };

/** A file written beside its place (`<path>.partial`), renamed in once the whole export is ready. */
interface PlannedFile {
  rel: string;
}

/**
 * `npm run content:export`: every live lesson written in Telegram as a lesson file in the content format
 * (Markdown with front matter, its quiz, its media downloaded into `media/`), so the curriculum can be kept in
 * version control. A lesson that already has a file (same id) is left alone, as is a group organiser's lesson
 * (the file format has no audience of one group) and a removed one. The folder is checked by the content loader
 * before and after; if the result does not load, every file written is taken back.
 */
export async function exportWrittenLessons(deps: ExportDeps): Promise<ExportReport> {
  const dir = path.resolve(deps.dir);
  const before = await load(dir, deps.selfHostedApi, "the content folder has problems already; fix them first (npm run content:check)");
  const fileIds = new Set(before.lessons.filter((l) => !l.file.startsWith("telegram:")).map((l) => l.id));
  const report: ExportReport = { written: [], skipped: [], warnings: [] };
  const remembered: { kind: MediaKind; sha: string; fileId: string }[] = [];
  const lessons = (await deps.repo.all()).map((raw) => JSON.parse(raw) as WrittenLesson).sort((a, b) => (a.id < b.id ? -1 : 1));
  const staging = createStaging(dir);
  try {
    for (const w of lessons) {
      if (w.removed) report.skipped.push(`${w.id}: removed in Telegram; not exported`);
      else if (w.groupId !== undefined) report.skipped.push(`${w.id}: a lesson for one group only (${w.groupId}); lesson files reach every group, so it stays in Telegram`);
      else if (fileIds.has(w.id)) report.skipped.push(`${w.id}: a lesson file with this id exists already; the file is what the bot uses`);
      else remembered.push(...(await planLesson(w, deps.download, staging, report.warnings)));
    }
    await staging.commit();
    await load(dir, deps.selfHostedApi, "the exported lessons do not pass the content checks; nothing was kept");
  } catch (err) {
    await staging.rollback();
    throw err;
  }
  for (const r of remembered) await deps.uploads?.remember(r.kind, r.sha, r.fileId);
  report.written = staging.files.map((f) => f.rel);
  return report;
}

async function load(dir: string, selfHostedApi: boolean | undefined, headline: string) {
  try {
    return await loadCurriculum(dir, { selfHostedApi: selfHostedApi ?? false });
  } catch (err) {
    if (!(err instanceof ContentError)) throw err;
    throw new ExportError([headline, ...err.problems.map(formatProblem)]);
  }
}

/** The lesson file and its media files, with what could not be kept said in `warnings`. */
async function planLesson(w: WrittenLesson, download: DownloadFile, staging: Staging, warnings: string[]) {
  const remembered: { kind: MediaKind; sha: string; fileId: string }[] = [];
  const fields: Partial<Record<Exclude<MediaField, "documents">, string>> & { documents: string[] } = { documents: [] };
  for (const [i, m] of w.media.entries()) {
    const bytes = await downloadOne(w, m, download);
    const type = sniff(bytes.subarray(0, 4096));
    const field = type ? FIELD_OF[type] : undefined;
    if (!type || !field || (field !== "documents" && fields[field] !== undefined) || (field === "voice" && fields.audio) || (field === "audio" && fields.voice)) {
      warnings.push(`${w.id}: ${m.kind} ${i + 1} left out (a lesson file holds one image, one video, one audio or voice recording, and PDF documents)`);
      continue;
    }
    const rel = `media/${w.id}-${i + 1}.${EXTENSION[type]}`;
    await staging.put(rel, bytes);
    if (field === "documents") fields.documents.push(rel);
    else fields[field] = rel;
    remembered.push({ kind: KIND_OF_FIELD[field], sha: createHash("sha256").update(bytes).digest("hex"), fileId: m.fileId });
  }
  const { markdown, lost } = telegramHtmlToMarkdown(w.html);
  if (lost.length > 0) warnings.push(`${w.id}: ${lost.join(" and ")} kept as plain text (Markdown has no ${lost.join(" or ")})`);
  else if (!rendersBack(markdown, w.html)) warnings.push(`${w.id}: the body's formatting may differ a little in the file; read it before committing`);
  const frontMatter = {
    id: w.id,
    track: w.track,
    title: w.title,
    order: w.order,
    ...Object.fromEntries(Object.entries(fields).filter(([k, v]) => k !== "documents" && v !== undefined)),
    ...(fields.documents.length > 0 ? { documents: fields.documents } : {}),
    ...(w.quiz.length > 0 ? { quiz: w.quiz.map((q) => ({ question: q.question, options: q.options, answer: q.answer, ...(q.explanation ? { explanation: q.explanation } : {}) })) } : {}),
  };
  await staging.put(lessonPath(w.track, w.order, w.id), `---\n${stringify(frontMatter, { lineWidth: 0 })}---\n${markdown}\n`);
  return remembered;
}

async function downloadOne(w: WrittenLesson, m: WrittenMedia, download: DownloadFile): Promise<Buffer> {
  try {
    return await download(m.fileId);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new ExportError([`${w.id}: could not download its ${m.kind} from Telegram (${why}); nothing was written`]);
  }
}

export function lessonPath(track: Track, order: number, id: string): string {
  return `lessons/${track}/${String(order).padStart(2, "0")}-${id}.md`;
}

type Staging = ReturnType<typeof createStaging>;

/**
 * Files written beside their place as `<path>.partial` (one medium in memory at a time), renamed in together by
 * `commit`; `rollback` takes back the partial files and the ones already renamed in.
 */
function createStaging(dir: string) {
  const files: PlannedFile[] = [];
  const renamed: string[] = [];
  const fail = (err: unknown): never => {
    const why = err instanceof Error ? err.message : String(err);
    throw new ExportError([`could not write into ${dir} (${why}); nothing was kept`]);
  };
  return {
    files,
    async put(rel: string, bytes: Buffer | string): Promise<void> {
      const target = path.join(dir, rel);
      if (existsSync(target)) throw new ExportError([`${rel} exists already (left by an earlier export?); move it away and export again; nothing was written`]);
      files.push({ rel });
      try {
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(`${target}.partial`, bytes);
      } catch (err) {
        fail(err);
      }
    },
    async commit(): Promise<void> {
      try {
        for (const f of files) {
          const target = path.join(dir, f.rel);
          await rename(`${target}.partial`, target);
          renamed.push(target);
        }
      } catch (err) {
        fail(err);
      }
    },
    async rollback(): Promise<void> {
      const targets = [...files.map((f) => `${path.join(dir, f.rel)}.partial`), ...renamed];
      const results = await Promise.allSettled(targets.map((t) => rm(t, { force: true })));
      // A path whose folder could not be made (a file in its way) was never written: ENOTDIR is "not there" too.
      const left = targets.filter((_, i) => {
        const r = results[i];
        return r?.status === "rejected" && (r.reason as NodeJS.ErrnoException).code !== "ENOTDIR";
      });
      if (left.length > 0) throw new ExportError([`the export failed and could not take back ${left.join(", ")}; remove them by hand`]);
    },
  };
}
