export { createGroupsRepository, type GroupsRepository } from "./groups.repository.js";
export { createGroupMoveRepository, type GroupMoveRepository } from "./group-move.repository.js";
export { createGroupMover, type GroupMover, type GroupMoveHook } from "./group-move.service.js";
export { createGroupMoveComposer } from "./group-move.composer.js";
export { followUpgradedGroups } from "./upgraded-chats.js";
export { createGroupsService, displayName, type GroupsService, type GroupsConfig } from "./groups.service.js";
export { createGroupsComposer, replyHelp } from "./groups.composer.js";
export type { GroupInfo, Member, UserProfile } from "./groups.types.js";
export { inGroup, isOrganiserHere, NOT_ADMIN, refuse, requireOrganiser, type InGroup, type Refusal } from "./guards.js";
