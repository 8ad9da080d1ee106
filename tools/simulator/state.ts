import { createHash, randomBytes } from "node:crypto";
import type { BotCommand } from "grammy/types";
import { ApiError, badRequest, forbidden } from "./errors.js";
import type { MemberStatus, SimChat, SimFile, SimMessage, SimPoll, SimUser } from "./types.js";

export interface Membership {
  status: MemberStatus;
  since: number;
}

/** A chat plus what only the simulator knows about it. */
export interface ChatRecord {
  chat: SimChat;
  members: Map<number, Membership>;
  messages: SimMessage[];
  nextMessageId: number;
  topics: Map<number, { name: string; icon_color: number; closed?: boolean }>;
  /** Set once a basic group was upgraded: the supergroup's id (every later send is refused). */
  migratedTo?: number;
  /** The chat's default member permissions (setChatPermissions); a missing field is allowed. */
  permissions?: { can_send_photos?: boolean };
  /** The bot's administrator rights; a missing field is granted (BotFather's default admin). */
  botRights?: { can_manage_topics?: boolean };
}

export interface UserRecord {
  user: SimUser;
  started: boolean;
  blocked: boolean;
}

export interface PendingCallback {
  id: string;
  from: SimUser;
  /** Absent for an injected press (sim.injectUpdate). */
  message?: SimMessage;
  data: string;
  createdAt: number;
  answered: boolean;
  resolve: (answer: { text?: string; show_alert?: boolean; url?: string } | null) => void;
}

/** Everything the simulated Telegram remembers: users, chats, messages, polls, files, commands. */
export class SimState {
  readonly users = new Map<number, UserRecord>();
  readonly chats = new Map<number, ChatRecord>();
  readonly polls = new Map<string, SimPoll>();
  readonly files = new Map<string, SimFile>();
  readonly commands = new Map<string, BotCommand[]>();
  /** Menu buttons by private chat id ("" for the bot's default), as setChatMenuButton left them. */
  readonly menuButtons = new Map<string, Record<string, unknown>>();
  readonly callbacks = new Map<string, PendingCallback>();
  readonly bot: SimUser;
  private nextUserId = 1_000_001;
  private nextGroupId = 1;
  private counter = 0;

  constructor(
    readonly now: () => number,
    bot: SimUser,
  ) {
    this.bot = bot;
  }

  unixNow(): number {
    return Math.floor(this.now() / 1000);
  }

  uniqueId(prefix: string): string {
    this.counter++;
    return `${prefix}${this.counter.toString(36)}${randomBytes(12).toString("base64url")}`;
  }

  addUser(fields: Omit<SimUser, "id" | "is_bot"> & { id?: number }): SimUser {
    const id = fields.id ?? this.nextUserId++;
    const user: SimUser = { ...fields, id, is_bot: false };
    this.users.set(id, { user, started: false, blocked: false });
    return user;
  }

  addGroup(title: string, type: "group" | "supergroup", isForum: boolean): ChatRecord {
    const n = this.nextGroupId++;
    const id = type === "supergroup" ? -(1_000_000_000_000 + 2_000_000_000 + n) : -(4_000_000_000 + n);
    const chat: SimChat = isForum ? { id, type, title, is_forum: true } : { id, type, title };
    // In forums, thread 1 is the General topic, so real messages start after it.
    const record: ChatRecord = { chat, members: new Map(), messages: [], nextMessageId: isForum ? 2 : 1, topics: new Map() };
    this.chats.set(id, record);
    return record;
  }

  privateChat(user: SimUser): ChatRecord {
    let record = this.chats.get(user.id);
    if (!record) {
      const chat: SimChat = { id: user.id, type: "private", first_name: user.first_name };
      if (user.username) chat.username = user.username;
      record = { chat, members: new Map(), messages: [], nextMessageId: 1, topics: new Map() };
      this.chats.set(user.id, record);
    }
    return record;
  }

  userRecord(id: number): UserRecord | undefined {
    return this.users.get(id);
  }

  /** Resolves a chat_id parameter (number or @username) to an existing chat, like Telegram. */
  resolveChat(chatId: unknown): ChatRecord {
    if (typeof chatId === "string" && chatId.startsWith("@")) {
      const name = chatId.slice(1).toLowerCase();
      for (const record of this.chats.values()) {
        if (record.chat.username?.toLowerCase() === name) return record;
      }
      throw badRequest("chat not found");
    }
    const id = typeof chatId === "number" ? chatId : Number(chatId);
    if (!Number.isInteger(id) || id === 0) throw badRequest("chat not found");
    const existing = this.chats.get(id);
    if (existing) return existing;
    const user = this.users.get(id);
    if (user) return this.privateChat(user.user);
    throw badRequest("chat not found");
  }

  botStatus(record: ChatRecord): MemberStatus {
    return record.members.get(this.bot.id)?.status ?? "left";
  }

  isBotAdmin(record: ChatRecord): boolean {
    return this.botStatus(record) === "administrator";
  }

  /** Throws the 403 Telegram gives when the bot may not write into this chat. */
  assertCanSend(record: ChatRecord): void {
    assertNotMigrated(record);
    const chat = record.chat;
    if (chat.type === "private") {
      const user = this.users.get(chat.id);
      if (!user || !user.started) throw forbidden("bot can't initiate conversation with a user");
      if (user.blocked) throw forbidden("bot was blocked by the user");
      return;
    }
    const status = this.botStatus(record);
    const kind = chat.type === "supergroup" ? "supergroup chat" : "group chat";
    if (status === "kicked") throw forbidden(`bot was kicked from the ${kind}`);
    if (status === "left") throw forbidden(`bot is not a member of the ${kind}`);
  }

  /** Telegram: members follow the chat's permissions; administrators and the creator are exempt. */
  assertCanSendPhotos(record: ChatRecord): void {
    if (record.chat.type === "private") return;
    const status = this.botStatus(record);
    if (status === "administrator" || status === "creator") return;
    if (record.permissions?.can_send_photos === false) throw badRequest("not enough rights to send photos to the chat");
  }

  /** Administrators with can_manage_topics (and the creator) may manage topics and write in closed ones. */
  botCanManageTopics(record: ChatRecord): boolean {
    const status = this.botStatus(record);
    return status === "creator" || (status === "administrator" && record.botRights?.can_manage_topics !== false);
  }

  findMessage(record: ChatRecord, messageId: number): SimMessage | undefined {
    const m = record.messages.find((x) => x.message_id === messageId);
    return m && !m.deleted ? m : undefined;
  }

  /** Appends a message with the chat's next id and the current date. */
  addMessage(record: ChatRecord, from: SimUser, fields: Partial<SimMessage>): SimMessage {
    const message: SimMessage = {
      ...fields,
      message_id: record.nextMessageId++,
      chat: record.chat,
      from,
      fromBot: from.id === this.bot.id,
      date: this.unixNow(),
      history: [],
      edits: 0,
      deleted: false,
    };
    record.messages.push(message);
    return message;
  }

  storeFile(bytes: Buffer, kind: string, meta: Omit<SimFile, "file_id" | "file_unique_id" | "file_path" | "bytes">): SimFile {
    const file_id = this.uniqueId("AgAC");
    const ext = meta.file_name?.split(".").pop() ?? DEFAULT_EXTENSIONS[kind] ?? "bin";
    const file: SimFile = {
      file_id,
      // As Telegram's: the same for the same file, whoever uploads it and however often.
      file_unique_id: `AQAD${createHash("sha256").update(bytes).digest("base64url").slice(0, 12)}`,
      file_path: `${kind}/file_${this.files.size}.${ext}`,
      bytes,
      ...meta,
    };
    this.files.set(file_id, file);
    return file;
  }
}

const DEFAULT_EXTENSIONS: Record<string, string> = { photos: "jpg", voice: "oga", videos: "mp4", music: "mp3" };

/** Telegram's answer to anything sent to a group after its upgrade: 400 naming the supergroup. */
export function assertNotMigrated(record: ChatRecord): void {
  if (record.migratedTo === undefined) return;
  throw new ApiError(400, "Bad Request: group chat was upgraded to a supergroup chat", { migrate_to_chat_id: record.migratedTo });
}
