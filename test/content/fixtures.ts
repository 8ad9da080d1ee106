import { mkdtemp, mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

/** Writes `files` (path relative to the folder → content) into a fresh temporary folder. */
export async function contentDir(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "sanxue-content-"));
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(dir, rel);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
  }
  return dir;
}

export function lesson(fields: string, body = "正文。"): string {
  return `---\n${fields.trim()}\n---\n${body}\n`;
}

export const GOOD_QUIZ = `quiz:
  - question: 一加一等于几？
    options: ["1", "2", "3"]
    answer: 1
    explanation: 一加一等于二。`;
