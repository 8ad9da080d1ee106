import { apiChat, apiUser } from "./serialize.js";
import type { ChatRecord, SimState } from "./state.js";
import type { MemberStatus, SimUser } from "./types.js";

const ADMIN_RIGHTS = {
  can_be_edited: false,
  is_anonymous: false,
  can_manage_chat: true,
  can_delete_messages: true,
  can_manage_video_chats: true,
  can_restrict_members: true,
  can_promote_members: false,
  can_change_info: true,
  can_invite_users: true,
  can_post_stories: false,
  can_edit_stories: false,
  can_delete_stories: false,
  can_pin_messages: true,
  can_manage_topics: true,
};

/** A ChatMember object for `user` with `status`. */
export function apiMember(user: SimUser, status: MemberStatus, until = 0): Record<string, unknown> {
  const base = { status, user: apiUser(user) };
  if (status === "administrator") return { ...base, ...ADMIN_RIGHTS };
  if (status === "creator") return { ...base, is_anonymous: false };
  if (status === "kicked") return { ...base, until_date: until };
  return base;
}

/** A ChatMemberUpdated payload (for my_chat_member and chat_member updates). */
export function memberUpdated(
  state: SimState,
  record: ChatRecord,
  user: SimUser,
  by: SimUser,
  oldStatus: MemberStatus,
  newStatus: MemberStatus,
): Record<string, unknown> {
  return {
    chat: apiChat(record.chat),
    from: apiUser(by),
    date: state.unixNow(),
    old_chat_member: apiMember(user, oldStatus),
    new_chat_member: apiMember(user, newStatus),
  };
}
