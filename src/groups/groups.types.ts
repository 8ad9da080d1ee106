import type { Schedule, Track } from "../content/types.js";
import type { Locale } from "../shared/i18n.js";

export interface GroupInfo {
  id: number;
  title: string;
  type: "group" | "supergroup";
  isForum: boolean;
  active: boolean;
  locale: Locale;
  timeZone: string;
  /** When the bot was (last) added; slots before it are never pushed. */
  registeredAt: number;
  /** Forum groups: the topic lessons go to. */
  topicId?: number;
  tracksOff: Track[];
  schedule: Schedule;
  /** Slots before a schedule change are not caught up. */
  scheduleUpdatedAt: number;
  /** The town (township) the group belongs to, set by its organisers (`/settings town <name>`); the county view groups and filters by it. */
  town?: string;
}

export interface Member {
  userId: number;
  name: string;
  joinedAt: number;
}

export interface UserProfile {
  id: number;
  name: string;
  username?: string;
  /** The user has started the bot in private, so it may message them. */
  privateOk: boolean;
  locale?: Locale;
}
