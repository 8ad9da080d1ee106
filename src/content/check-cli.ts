import path from "node:path";
import { loadCurriculum } from "./load-curriculum.js";
import { isSelfHostedApi } from "./media-file.js";
import { ContentError, formatProblem, TRACKS } from "./types.js";

// `npm run content:check [dir]`: the same checks as start-up, without starting the bot.
const dir = process.argv[2] ?? process.env.CONTENT_DIR ?? "./content";
const selfHostedApi = isSelfHostedApi(process.env.TELEGRAM_API_ROOT);

try {
  const curriculum = await loadCurriculum(dir, { selfHostedApi });
  const perTrack = TRACKS.map((t) => `${t} ${curriculum.byTrack[t].length}`).join(", ");
  const media = curriculum.lessons.flatMap((l) => l.media);
  const kinds = [...new Set(media.map((m) => m.kind))].map((k) => `${k} ${media.filter((m) => m.kind === k).length}`).join(", ");
  console.log(
    `content ok: ${curriculum.lessons.length} lessons (${perTrack}), ${media.length} media files${kinds ? ` (${kinds})` : ""}, ${curriculum.quizBanks.size} quiz banks, ${curriculum.surveys.size} surveys`,
  );
  // File by file, what was checked and read: an organiser sees each medium was found and understood.
  for (const lesson of curriculum.lessons) {
    for (const m of lesson.media) {
      const facts = [`${(m.bytes / 1024).toFixed(0)} KB`];
      if (m.duration !== undefined) facts.push(`${m.duration} s`);
      if (m.width !== undefined && m.height !== undefined) facts.push(`${m.width}×${m.height}`);
      console.log(`  ${lesson.file}: ${m.field}: ${path.relative(curriculum.dir, m.path)} (${m.kind}, ${facts.join(", ")})`);
    }
  }
  for (const note of curriculum.notes) console.log(`note: ${formatProblem(note)}`);
} catch (error) {
  if (!(error instanceof ContentError)) throw error;
  for (const problem of error.problems) console.error(formatProblem(problem));
  process.exitCode = 1;
}
