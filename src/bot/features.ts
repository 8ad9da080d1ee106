import { activityFeature } from "../activity/index.js";
import { demandFeature } from "../demand/index.js";
import { consoleFeature } from "../console/index.js";
import { groupsFeature } from "../groups/index.js";
import { lessonsFeature } from "../lessons/index.js";
import { authoringFeature } from "../lessons/authoring/index.js";
import { reviewFeature } from "../review/index.js";
import { questionsFeature } from "../questions/index.js";
import { quizzesFeature } from "../quizzes/index.js";
import { reportsFeature } from "../reports/index.js";
import { scoresFeature } from "../scores/index.js";
import { settingsFeature } from "../settings/index.js";
import { signinsFeature } from "../signins/index.js";
import { surveysFeature } from "../surveys/index.js";
import type { FeatureDefinition } from "../shared/feature.js";

/**
 * Every feature, one line each. They are built in this order (a feature reads the APIs of those above it)
 * and their composers run in it; what must reach one feature only is dispatched by its claims, not by
 * its place here (src/bot/dispatch.ts).
 */
export const FEATURES: readonly FeatureDefinition[] = [
  activityFeature,
  groupsFeature,
  lessonsFeature,
  settingsFeature,
  signinsFeature,
  quizzesFeature,
  authoringFeature,
  scoresFeature,
  questionsFeature,
  reportsFeature,
  surveysFeature,
  reviewFeature,
  demandFeature,
  consoleFeature,
];
