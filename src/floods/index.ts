export { createFloodsRepository, type FloodsRepository, type FloodKind, type FloodLimits, type FloodVerdict } from "./floods.repository.js";
export { floodGuard } from "./floods.composer.js";
export * from "./limits.js";
