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
  for (const note of curriculum.notes) console.log(`note: ${formatProblem(note)}`);
} catch (error) {
  if (!(error instanceof ContentError)) throw error;
  for (const problem of error.problems) console.error(formatProblem(problem));
  process.exitCode = 1;
}
