import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimUser, Simulator } from "../../../tools/simulator/index.js";
import { loadCurriculum } from "../../../src/content/index.js";
import { renderLessonHtml } from "../../../src/content/lesson-html.js";
import type { InProcess } from "../../support/in-process.js";
import { FIXTURE_CONTENT } from "../../support/scene.js";
import { startAppStage, type AppStage } from "../../support/stage.js";
import { authoringSteps, has } from "../../support/authoring.js";

const run = promisify(execFile);
const CLI = fileURLToPath(new URL("../../../src/lessons/authoring/export-cli.ts", import.meta.url));
const CHECK_CLI = fileURLToPath(new URL("../../../src/content/check-cli.ts", import.meta.url));
const PNG = fileURLToPath(new URL("../../../content/images/drip-line.png", import.meta.url));

let stage: AppStage;
let sim: Simulator;
let app: InProcess;
let county: SimUser;
let steps: ReturnType<typeof authoringSteps>;
let photo: Buffer;

/** `npm run content:export` as an organiser runs it, against this stage's Redis and simulator. */
async function exportTo(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const base = { PATH: process.env.PATH ?? "", BOT_TOKEN: sim.token, TELEGRAM_API_ROOT: sim.apiRoot, REDIS_URL: stage.redis.url, LOG_LEVEL: "warn" };
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", CLI, ...args], { env: { ...base, ...env }, timeout: 30_000 });
    return { code: 0, out: stdout, err: stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout, err: e.stderr };
  }
}

/** A copy of the fixture curriculum to export into, and the files it holds now. */
async function contentCopy(): Promise<{ dir: string; files: () => Promise<string[]> }> {
  const dir = path.join(await mkdtemp(path.join(tmpdir(), "sx-export-")), "content");
  await cp(FIXTURE_CONTENT, dir, { recursive: true });
  const files = async () =>
    (await readdir(dir, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
      .sort();
  return { dir, files };
}

beforeAll(async () => {
  stage = await startAppStage();
  sim = stage.sim;
  steps = authoringSteps(sim);
  county = sim.user({ first_name: "县委组织部" });
  app = await stage.app({ run: { updates: true }, env: { ORGANIZER_IDS: String(county.id) } });
  const admin = sim.user({ first_name: "青山书记" });
  const group = sim.group({ title: "青山村", type: "supergroup", admins: [admin] });
  sim.addBot(group, { by: admin, asAdmin: true });
  await sim.waitForBotMessage(group, has("三学助手"));
  await steps.step(county, () => sim.startPrivate(county), () => true);
  photo = await readFile(PNG);
  // A lesson with formatting a member should keep (bold, a link, and characters Markdown gives meaning), a picture and two quiz polls.
  const body = "学习要点：依法治村，人人有责。\n张<芳> & 赵\"老三\" *不是粗体* 1. 不是列表\n详见链接";
  await steps.writeLesson(county, {
    audience: "wl:a:all",
    title: "村规民约怎么订 <全县>",
    body,
    entities: [
      { type: "bold", offset: 0, length: 4 },
      { type: "text_link", offset: body.length - 2, length: 2, url: "https://example.org/rules_(2026)" },
    ],
    extras: async () => {
      await steps.step(county, () => sim.sendPhoto(county, steps.dm(county), { bytes: photo }), has("已添加图片"));
      await steps.step(county, () => sim.sendPoll(county, steps.dm(county), { question: "村规民约由谁表决？", options: ["村民会议", "村支书一人"], correct_option_id: 0, explanation: "须经村民会议讨论通过" }), has("已添加测验题"));
      await steps.step(county, () => sim.sendPoll(county, steps.dm(county), { question: "村规民约可以违反法律吗？", options: ["可以", "不可以"], correct_option_id: 1 }), has("2 道测验题"));
    },
  });
  await steps.previewAndPublish(county);
}, 90_000);

afterAll(async () => {
  await app?.close();
  await stage?.close();
});

describe("npm run content:export", () => {
  it("writes a lesson written in Telegram as a lesson file with its picture and quiz, which loads back as the same lesson", async () => {
    const { dir, files } = await contentCopy();
    const before = await files();
    const { code, out, err } = await exportTo(["--out", dir]);
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toMatch(/exported 1 lesson\(s\), 1 media file\(s\)/);

    const written = (await files()).filter((f) => !before.includes(f));
    expect(written).toHaveLength(2);
    const lessonFile = written.find((f) => f.endsWith(".md"));
    expect(lessonFile).toMatch(/^lessons\/constitution\/03-[\w-]+\.md$/);
    const image = written.find((f) => f.startsWith("media/"));
    expect(image).toMatch(/\.png$/);
    expect(await readFile(path.join(dir, image ?? ""))).toEqual(photo);

    // `npm run content:check` on the exported folder passes and lists the exported picture under its lesson.
    const check = await run(process.execPath, ["--import", "tsx", CHECK_CLI, dir], { env: { PATH: process.env.PATH ?? "" }, timeout: 30_000 });
    expect(check.stderr).toBe("");
    expect(check.stdout).toMatch(/^content ok: /);
    expect(check.stdout).toContain(`  ${lessonFile}: image: ${image} (photo, `);

    // What the bot would use: the content loader's own reading of the folder.
    const curriculum = await loadCurriculum(dir);
    const stored = JSON.parse((await app.redis.hvals("sx:written:lessons"))[0] ?? "{}") as { id: string; html: string };
    const lesson = curriculum.byId.get(stored.id);
    expect(lesson?.file).toBe(lessonFile);
    expect(lesson?.title).toBe("村规民约怎么订 <全县>");
    expect(lesson?.order).toBe(3);
    expect(renderLessonHtml({ title: lesson?.title ?? "", body: lesson?.body ?? "" })).toBe(renderLessonHtml({ title: "村规民约怎么订 <全县>", body: "", html: stored.html }));
    expect(lesson?.quiz).toEqual([
      { question: "村规民约由谁表决？", options: ["村民会议", "村支书一人"], answer: 0, explanation: "须经村民会议讨论通过" },
      { question: "村规民约可以违反法律吗？", options: ["可以", "不可以"], answer: 1 },
    ]);
    expect(lesson?.media.map((m) => [m.kind, m.field])).toEqual([["photo", "image"]]);
    // The picture is Telegram's already: the file's hash is remembered with the author's file id, so pushing the file lesson uploads nothing.
    const sha = createHash("sha256").update(photo).digest("hex");
    const authorPhoto = sim.messages(steps.dm(county)).find((m) => !m.fromBot && m.photo)?.photo?.file_id;
    expect(await app.redis.get(`sx:media:photo:${sha}`)).toBe(authorPhoto);

    // Once more: the lesson has its file now, which is what the bot uses; nothing is written twice.
    const again = await exportTo(["--out", dir]);
    expect(again.code).toBe(0);
    expect(again.out).toContain("exported 0 lesson(s)");
    expect(again.out).toMatch(/skipped [\w-]+: a lesson file with this id exists already/);
    expect((await files()).filter((f) => !before.includes(f))).toEqual(written);
  }, 60_000);

  it("bad input gets a clear answer, a failing exit code, and writes nothing", async () => {
    const { dir, files } = await contentCopy();
    const before = await files();

    const flag = await exportTo(["--into", dir]);
    expect(flag.code).toBe(2);
    expect(flag.err).toContain("usage: npm run content:export");

    const missing = await exportTo(["--out", path.join(dir, "nowhere")]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("cannot read the content folder");

    const noRedis = await exportTo(["--out", dir], { REDIS_URL: "redis://127.0.0.1:1" });
    expect(noRedis.code).toBe(1);
    expect(noRedis.err).toContain("Redis unreachable");

    // A folder that cannot be written into (a file where media/ must go; chmod does not stop root): nothing is kept, no *.partial left.
    await writeFile(path.join(dir, "media"), "not a folder");
    const blocked = await exportTo(["--out", dir]);
    expect(blocked.code).toBe(1);
    expect(blocked.err).toMatch(/could not write into .*nothing was kept/);
    expect(await files()).toEqual([...before, "media"].sort());
    await rm(path.join(dir, "media"));

    // Telegram has forgotten the picture: the lesson cannot be whole, so none of it is written.
    const fileId = sim.messages(steps.dm(county)).find((m) => !m.fromBot && m.photo)?.photo?.file_id ?? "";
    const kept = sim.state.files.get(fileId);
    sim.forgetFile(fileId);
    try {
      const gone = await exportTo(["--out", dir]);
      expect(gone.code).toBe(1);
      expect(gone.err).toMatch(/could not download its photo from Telegram .*nothing was written/);
    } finally {
      if (kept) sim.state.files.set(fileId, kept);
    }
    expect(await files()).toEqual(before);
    expect((await stat(dir)).isDirectory()).toBe(true);
  }, 60_000);
});
