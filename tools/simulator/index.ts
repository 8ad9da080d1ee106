export { createSimulator, Simulator, type SimulatorOptions, type WaitOptions } from "./simulator.js";
export type { SendOptions, MediaOptions } from "./actors.js";
export type { Fault, FaultKind, LimitOptions } from "./limits.js";
export type { ApiCall, CallbackAnswer, SimChat, SimEdit, SimFile, SimMessage, SimPoll, SimUser } from "./types.js";
export { parseHtml, type ParsedText } from "./html-entities.js";
export { signInitData, webAppLaunchUrl, type InitDataOptions } from "./web-app.js";
