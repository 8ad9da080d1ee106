import { loadCurriculum } from "./load-curriculum.js";
import { ContentError, formatProblem, TRACKS } from "./types.js";

// `npm run content:check [dir]`: the same checks as start-up, without starting the bot.
const dir = process.argv[2] ?? process.env.CONTENT_DIR ?? "./content";

try {
  const curriculum = await loadCurriculum(dir);
  const perTrack = TRACKS.map((t) => `${t} ${curriculum.byTrack[t].length}`).join(", ");
  console.log(
    `content ok: ${curriculum.lessons.length} lessons (${perTrack}), ${curriculum.quizBanks.size} quiz banks, ${curriculum.surveys.size} surveys`,
  );
} catch (error) {
  if (!(error instanceof ContentError)) throw error;
  for (const problem of error.problems) console.error(formatProblem(problem));
  process.exitCode = 1;
}
