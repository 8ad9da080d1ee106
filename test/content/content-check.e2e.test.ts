import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { contentDir, GOOD_QUIZ, lesson } from "./fixtures.js";

const run = promisify(execFile);
const CLI = fileURLToPath(new URL("../../src/content/check-cli.ts", import.meta.url));
const SAMPLE = fileURLToPath(new URL("../../content", import.meta.url));

/** `npm run content:check <dir>` as an organiser runs it: exit code, stdout and stderr. */
async function check(dir: string): Promise<{ code: number; out: string; err: string }> {
  const env = { ...process.env, TELEGRAM_API_ROOT: "" };
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", CLI, dir], { env });
    return { code: 0, out: stdout, err: stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout, err: e.stderr };
  }
}

describe("npm run content:check on media", () => {
  it("passes the sample curriculum and counts its media", async () => {
    const { code, out } = await check(SAMPLE);
    expect(code).toBe(0);
    expect(out).toMatch(/content ok: 17 lessons .*4 media files \(/);
    expect(out).toContain("lessons/technology/06-pruning-demonstration.md: video: media/pruning-demo.mp4 (video, 6 KB, 3 s, 320×180)");
    expect(out).toContain("lessons/policy/05-three-studies-handbook.md: documents.0: media/three-studies-handbook.pdf (document, 1 KB)");
  });

  it("bad media stops it with the file, the field and the fix, one line each", async () => {
    const pdf = readFileSync(new URL("../../content/media/three-studies-handbook.pdf", import.meta.url));
    const dir = await contentDir({
      "media/film.mp4": pdf,
      "lessons/policy/01-a.md": lesson(`id: a\ntrack: policy\ntitle: 标题\norder: 1\nvideo: media/film.mp4\n${GOOD_QUIZ}`),
      "lessons/policy/02-b.md": lesson(`id: b\ntrack: policy\ntitle: 标题\norder: 2\ndocuments: [media/gone.pdf]\n${GOOD_QUIZ}`),
    });
    const { code, out, err } = await check(dir);
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(err.trim().split("\n")).toEqual([
      'lessons/policy/01-a.md: video: "media/film.mp4" is a PDF document, by its content, but `video` takes an MP4 video; convert it, e.g. `ffmpeg -i in.mov -c:v libx264 -c:a aac -movflags +faststart out.mp4`',
      'lessons/policy/02-b.md: documents.0: "media/gone.pdf" does not exist; put the file there or fix the path (it is relative to the content folder)',
    ]);
  });
});
