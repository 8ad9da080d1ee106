export { createFloodsRepository, type FloodsRepository, type FloodKind, type FloodLimits, type FloodVerdict } from "./floods.repository.js";
export { floodGuard } from "./floods.composer.js";
export * from "./limits.js";
export { payingToll, PRESS_TOLL_LUA, TOLL_KEYS, tollRefused, type PressToll, type TollPart, type TollRefused } from "./press-toll.js";
