/**
 * The API's answers, as the server types them (src/console/console.api.ts): imported, never copied, so the page and
 * the server cannot drift (`npm run typecheck` checks the page against them).
 */
export type { CountyView as County, GroupView, MeView as Me, MemberView } from "../console.api.js";
export type { GroupNeedsRow as GroupNeeds } from "../../demand/index.js";
export type { Track } from "../../content/types.js";
