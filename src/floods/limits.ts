/**
 * Every flood limit in one place. Telegram lets a bot send about 20 messages a minute into one
 * group; pushes, replies and notices all share that window (`src/outbox/group-window.ts`). The
 * limits on members keep one member, or one busy group, from spending it: what is left after a
 * flood of commands is still enough for a scheduled lesson (picture, text, sign-in, quiz).
 */

/** The length of every window below. */
export const FLOOD_WINDOW_MS = 60_000;

// Telegram's limit on the bot's messages into one group per minute is a pacing figure: Config.pacing.groupPerMinute.

/** Commands one member may send in one group per window; beyond, one "slow down" reply, then silence. */
export const MEMBER_COMMANDS_PER_MINUTE = 10;
/** Commands all members of one group together may send per window; beyond, one "busy" notice, then silence. */
export const GROUP_COMMANDS_PER_MINUTE = 15;
/** Commands one person may send in a private chat per window (no group window to protect, only the bot's). */
export const PRIVATE_COMMANDS_PER_MINUTE = 20;

/** Button presses one member may make per window (in one chat); beyond, a "slow down" toast. */
export const MEMBER_PRESSES_PER_MINUTE = 20;
/**
 * Button presses in one group per window, all members together; beyond, a "slow down" toast. High on
 * purpose: a sign-in opening in a big group brings a thousand presses in a second, and a press costs
 * no message in the group (a toast, or an edit the sign-ins feature coalesces).
 */
export const GROUP_PRESSES_PER_MINUTE = 3000;
