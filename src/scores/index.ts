export { createScoresService, type ScoresService, type BoardScope, type MyLine } from "./scores.service.js";
export { createScoresComposer } from "./scores.composer.js";
export { scoreOf, rankBoard, formatBoard, type BoardRow } from "./leaderboard.js";
