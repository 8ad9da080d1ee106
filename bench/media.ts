/**
 * Lesson media: a video lesson pushed to 300 groups by the real bot process under Telegram's limits,
 * with the file_id cache (one upload for the deployment) beside the same run with MEDIA_CACHE=off
 * (one upload per group, what a bot without the cache does).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createSimulator } from "../tools/simulator/index.js";
import { startBot } from "../tools/demo/bot-process.js";
import { startRedis } from "../test/support/redis-server.js";
import { FIXTURE_CONTENT } from "../test/support/scene.js";
import { seedGroups, waitDelivered } from "../test/outbox/fanout.js";
import { row } from "./measure.js";

const GROUPS = 300;
/** The film: the sample clip padded to 1 MB (every upload is held in the simulator's memory, 300 of them in the baseline). */
const FILM_BYTES = 1024 * 1024;
const REAL_FILM_MB = 40;

/** The fixture curriculum whose first technology lesson carries the film. */
function contentWithFilm(): string {
  const dir = mkdtempSync(join(tmpdir(), "sanxue-bench-media-"));
  cpSync(FIXTURE_CONTENT, dir, { recursive: true });
  const clip = readFileSync(fileURLToPath(new URL("../content/media/pruning-demo.mp4", import.meta.url)));
  // Padding after the clip's boxes: the content check still reads an MP4 with its moov first.
  const film = Buffer.concat([clip, Buffer.alloc(FILM_BYTES - clip.length)]);
  writeFileSync(join(dir, "film.mp4"), film);
  const lesson = join(dir, "lessons/technology/01-seeds.md");
  writeFileSync(lesson, readFileSync(lesson, "utf8").replace("\norder: 1\n", "\norder: 1\nvideo: film.mp4\n"));
  return dir;
}

interface Run {
  uploads: number;
  uploadedMB: number;
  seconds: number;
  messages: number;
}

async function pushFilm(content: string, mediaCache: "on" | "off"): Promise<Run> {
  const sim = await createSimulator({ limits: { perSecond: 30, perGroupPerMinute: 20 } });
  const redis = await startRedis();
  const env = { BOT_TOKEN: sim.token, TELEGRAM_API_ROOT: sim.apiRoot, REDIS_URL: redis.url, CONTENT_DIR: content, MEDIA_CACHE: mediaCache };
  const bot = await startBot(env);
  try {
    const chats = await seedGroups(sim, redis.url, GROUPS, Date.now() + 4000);
    await waitDelivered(sim, redis.url, chats, 600_000);
    const sends = sim.calls.filter((c) => c.ok && (c.method === "sendVideo" || c.method === "sendMessage"));
    const videos = sim.calls.filter((c) => c.ok && c.method === "sendVideo");
    const uploads = videos.filter((c) => Object.keys(c.params).some((k) => k.startsWith("attach:")));
    const first = Math.min(...sends.map((c) => c.at));
    const last = Math.max(...sends.map((c) => c.at));
    return { uploads: uploads.length, uploadedMB: (uploads.length * FILM_BYTES) / 1024 / 1024, seconds: (last - first) / 1000, messages: sends.length };
  } finally {
    await bot.stop();
    await sim.close();
    await redis.destroy();
  }
}

export async function benchMedia(): Promise<void> {
  console.log(`\n# media: a video lesson to ${GROUPS} groups, one upload per deployment (MEDIA_CACHE=off as the baseline)`);
  const content = contentWithFilm();
  try {
    const before = await pushFilm(content, "off");
    const after = await pushFilm(content, "on");
    const note = (r: Run) => `${r.messages} messages; ${r.uploadedMB.toFixed(0)} MB uploaded here, ${(r.uploads * REAL_FILM_MB).toLocaleString("en")} MB for a ${REAL_FILM_MB} MB film`;
    row("uploads, one per group (cache off)", String(before.uploads), note(before));
    row("uploads, file_id cache (cache on)", String(after.uploads), note(after));
    row("push time, first → last message (cache off)", `${before.seconds.toFixed(1)} s`, "");
    const floor = after.messages / 28;
    row("push time, first → last message (cache on)", `${after.seconds.toFixed(1)} s`, `baseline ×${(before.seconds / after.seconds).toFixed(2)}; floor at 28/s ${floor.toFixed(1)} s (uploads over loopback cost little here; over a real link each is the film's size)`);
  } finally {
    rmSync(content, { recursive: true, force: true });
  }
}
