import type { InlineKeyboardMarkup, MessageEntity } from "grammy/types";

export type ChatType = "private" | "group" | "supergroup";
export type MemberStatus = "creator" | "administrator" | "member" | "left" | "kicked";

/** A person (or the bot) in the simulated world. */
export interface SimUser {
  readonly id: number;
  readonly is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

/** A chat in the simulated world; private chats share the user's id. */
export interface SimChat {
  readonly id: number;
  readonly type: ChatType;
  title?: string;
  first_name?: string;
  username?: string;
  is_forum?: boolean;
}

/** A stored file: what getFile and /file/ serve. */
export interface SimFile {
  file_id: string;
  file_unique_id: string;
  file_path: string;
  bytes: Buffer;
  file_name?: string;
  mime_type?: string;
  /** What the sender said (or Telegram read) of a video or recording. */
  duration?: number;
  width?: number;
  height?: number;
}

export interface SimPoll {
  id: string;
  chatId: number;
  messageId: number;
  question: string;
  options: { text: string; voter_count: number }[];
  type: "regular" | "quiz";
  is_anonymous: boolean;
  allows_multiple_answers: boolean;
  correct_option_ids?: number[];
  explanation?: string;
  explanation_entities?: MessageEntity[];
  open_period?: number;
  close_date?: number;
  is_closed: boolean;
  /** A user's quiz outside the bot's private chat: the bot is not told the right answer until it closes. */
  answerHidden?: boolean;
  total_voter_count: number;
  votes: Map<number, number[]>;
}

export interface SimEdit {
  at: number;
  text?: string;
  caption?: string;
  reply_markup?: InlineKeyboardMarkup;
}

/** A message as the simulator stores it; `sim.messages(chat)` returns these. */
export interface SimMessage {
  message_id: number;
  chat: SimChat;
  from: SimUser;
  fromBot: boolean;
  date: number;
  text?: string;
  /** The text exactly as the bot sent it (before parse_mode was applied). */
  html?: string;
  parse_mode?: string;
  entities?: MessageEntity[];
  caption?: string;
  caption_html?: string;
  caption_entities?: MessageEntity[];
  photo?: SimFile;
  document?: SimFile;
  voice?: SimFile;
  video?: SimFile;
  audio?: SimFile;
  poll?: SimPoll;
  media_group_id?: string;
  reply_markup?: InlineKeyboardMarkup;
  reply_to_message_id?: number;
  message_thread_id?: number;
  is_topic_message?: boolean;
  forward_from?: SimUser;
  new_chat_members?: SimUser[];
  left_chat_member?: SimUser;
  forum_topic_created?: { name: string; icon_color: number };
  /** Service messages of a group's upgrade: in the old group, and in the new supergroup. */
  migrate_to_chat_id?: number;
  migrate_from_chat_id?: number;
  /** A message sent on behalf of a chat (the supergroup's own migrate_from message). */
  sender_chat?: SimChat;
  forum_topic_closed?: Record<string, never>;
  forum_topic_reopened?: Record<string, never>;
  link_preview_options?: unknown;
  disable_notification?: boolean;
  /** Earlier versions, oldest first; `edits` is their count. */
  history: SimEdit[];
  edits: number;
  edit_date?: number;
  deleted: boolean;
}

export interface ApiCall {
  method: string;
  params: Record<string, unknown>;
  ok: boolean;
  error?: { error_code: number; description: string };
  at: number;
}

export interface CallbackAnswer {
  text?: string;
  show_alert?: boolean;
  url?: string;
}
