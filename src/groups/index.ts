import type { FeatureDefinition } from "../shared/feature.js";
import { createGroupMoveComposer } from "./group-move.composer.js";
import { createGroupMoveRepository } from "./group-move.repository.js";
import { createGroupMover, type GroupMover, type GroupMoveHook } from "./group-move.service.js";
import { createGroupsComposer } from "./groups.composer.js";
import { createGroupsRepository } from "./groups.repository.js";
import { createGroupsService, type GroupsService } from "./groups.service.js";
import { followUpgradedGroups } from "./upgraded-chats.js";

export { createGroupsRepository, type GroupsRepository } from "./groups.repository.js";
export { createGroupMoveRepository, type GroupMoveRepository } from "./group-move.repository.js";
export { createGroupMover, type GroupMover, type GroupMoveHook } from "./group-move.service.js";
export { followUpgradedGroups } from "./upgraded-chats.js";
export { createGroupsService, displayName, type GroupsService, type GroupsConfig } from "./groups.service.js";
export type { GroupInfo, Member, UserProfile } from "./groups.types.js";

declare module "../shared/feature.js" {
  interface FeatureApis {
    groups: GroupsService;
    /** Moves a group upgraded to a supergroup, with every feature's part. */
    mover: GroupMover;
  }
  interface FeatureHooks {
    /** What a feature keeps outside the group's own `{g<id>}` keys, moved with the group (the mover copies those). */
    moveGroup: GroupMoveHook;
    /** After a group's time zone changed (by /settings or anything else that updates the group). */
    timeZoneChanged(groupId: number, timeZone: string): Promise<void>;
  }
}

/** Groups, their members and who organises them; a group's upgrade to a supergroup. */
export const groupsFeature: FeatureDefinition = {
  name: "groups",
  commands: [{ command: "join", audiences: ["member", "admin"], description: "cmd-join", menu: 30 }],
  create({ config, curriculum, redis, api, clock, logger, hooks, scheduleChanged }) {
    const repo = createGroupsRepository(redis);
    const moves = createGroupMoveRepository(redis);
    const groups = createGroupsService({
      repo,
      moves,
      api,
      clock,
      logger,
      config: {
        defaultLocale: config.defaultLocale,
        defaultTimeZone: config.defaultTimezone,
        organizerIds: config.organizerIds,
        defaultSchedule: curriculum.schedule,
        expertsChatId: config.expertsChatId,
      },
      onZoneChanged: async (groupId, timeZone) => {
        for (const follow of hooks("timeZoneChanged")) await follow(groupId, timeZone);
      },
    });
    groups.onChange(scheduleChanged);
    const mover = createGroupMover({ repo: moves, groups: repo, hooks: hooks("moveGroup"), logger, onMoved: scheduleChanged });
    // Every send through this Api (pushes, outbox jobs, replies) follows a group's upgrade.
    api.config.use(followUpgradedGroups(mover, logger));
    const moving = (ctx: { message?: { migrate_to_chat_id?: number; migrate_from_chat_id?: number } }) =>
      ctx.message?.migrate_to_chat_id !== undefined || ctx.message?.migrate_from_chat_id !== undefined;
    return {
      api: { groups, mover },
      // A group's upgrade is handled before anything registers either chat.
      claims: { updates: [{ owns: moving, composer: createGroupMoveComposer(mover) }] },
      watch: createGroupsComposer(groups),
    };
  },
};
export { inGroup, isOrganiserHere, NOT_ADMIN, refuse, requireOrganiser, type InGroup, type Refusal } from "./guards.js";
