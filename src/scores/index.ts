import type { FeatureDefinition } from "../shared/feature.js";
import { createScoresComposer } from "./scores.composer.js";
import { createScoresService, type ScoresService } from "./scores.service.js";

export { createScoresService, type ScoresService, type BoardScope, type MyLine } from "./scores.service.js";
export { scoreOf, rankBoard, formatBoard, type BoardRow } from "./leaderboard.js";

declare module "../shared/feature.js" {
  interface FeatureApis {
    scores: ScoresService;
  }
  interface FeatureHooks {
    /** Lines another feature adds to the member's `/me` (in the reply's language, through `tr`). */
    memberLines(userId: number, tr: (key: string, vars?: Record<string, string | number>) => string): Promise<string[]>;
  }
}

/** The leaderboard /top and the member's own line /me, read from the activity ledger. */
export const scoresFeature: FeatureDefinition = {
  name: "scores",
  commands: [
    { command: "top", audiences: ["member", "admin"], description: "cmd-top", menu: 120 },
    { command: "me", audiences: ["member", "admin", "private"], description: "cmd-me", menu: 130 },
  ],
  create({ clock, hooks }, { activity, groups, signins }) {
    const scores = createScoresService({ activity, groups, clock, streakOf: (groupId, userId) => signins.streak(groupId, userId) });
    return { api: { scores }, composer: createScoresComposer(scores, () => hooks("memberLines")) };
  },
};
