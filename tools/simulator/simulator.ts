import type { Server } from "node:http";
import { signInitData, type InitDataOptions } from "./web-app.js";
import { SIMULATOR_TOKEN } from "../../src/config/simulator-token.js";
import type { BotCommand, BotCommandScope } from "grammy/types";
import * as actors from "./actors.js";
import { controlHandler } from "./control.js";
import { ApiError, badRequest } from "./errors.js";
import { DEFAULT_LIMITS, RateLimiter, type Fault, type LimitOptions } from "./limits.js";
import { callbackMethods } from "./methods/callbacks.js";
import { chatMethods, commandsKey } from "./methods/chats.js";
import type { MethodContext, MethodTable, SimEvents } from "./methods/context.js";
import { mediaMethods } from "./methods/media.js";
import { messageMethods } from "./methods/messages.js";
import { closePoll } from "./methods/polls.js";
import { upgradeToSupergroup } from "./migration.js";
import { pollMethods } from "./methods/polls.js";
import { updateMethods } from "./methods/updates.js";
import type { Params } from "./params.js";
import { startServer } from "./server.js";
import { SimState } from "./state.js";
import { renderMessage } from "./transcript.js";
import type { ApiCall, CallbackAnswer, SimChat, SimMessage, SimPoll, SimUser } from "./types.js";
import { UpdateQueue } from "./update-queue.js";

export interface SimulatorOptions {
  token?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  botUsername?: string;
  botName?: string;
  limits?: Partial<LimitOptions> | false;
  /** Clock in milliseconds; dates, rate limits and callback expiry follow it. */
  now?: () => number;
  /** Privacy mode like a default BotFather bot: in groups where it is not admin, the bot sees only commands, replies and mentions. */
  privacyMode?: boolean;
  /** How long `press` waits for answerCallbackQuery before resolving with null (ms, default 3000). */
  pressTimeoutMs?: number;
  callbackExpiryMs?: number;
  faultHoldMs?: number;
  webhookRetryMs?: number;
  /** Reject `&nbsp;` and other unknown entities (Telegram keeps them literally). */
  rejectUnknownHtmlEntities?: boolean;
}

const METHODS: MethodTable = {
  ...updateMethods, ...messageMethods, ...mediaMethods, ...pollMethods, ...callbackMethods, ...chatMethods,
};
const BY_LOWER = new Map(Object.entries(METHODS).map(([k, v]) => [k.toLowerCase(), v]));

export interface WaitOptions {
  timeout?: number;
  interval?: number;
  message?: string;
}

/** The in-process Telegram: an HTTP Bot API for the bot and a user-playing API for tests. */
export class Simulator {
  readonly faults: Fault[] = [];
  readonly calls: ApiCall[] = [];
  readonly apiRoot: string;
  readonly bot: SimUser;
  private readonly lines: string[] = [];
  private readonly listeners = new Set<(line: string) => void>();
  private readonly world: actors.World;
  private readonly limiter: RateLimiter;

  /** @internal use createSimulator */
  constructor(
    readonly token: string,
    readonly state: SimState,
    readonly queue: UpdateQueue,
    private readonly server: Server,
    port: number,
    private readonly options: SimulatorOptions,
  ) {
    this.apiRoot = `http://127.0.0.1:${port}`;
    this.bot = state.bot;
    const limits = options.limits === false ? false : { ...DEFAULT_LIMITS, ...options.limits };
    this.limiter = new RateLimiter(limits, state.now);
    const events: SimEvents = {
      line: (text) => this.emit(text),
      botMessage: (m, edited) => this.emit(renderMessage(m, edited, (id) => state.findMessage(state.resolveChat(m.chat.id), id))),
    };
    this.world = { state, queue, events, privacyMode: options.privacyMode ?? true, pressTimeoutMs: options.pressTimeoutMs ?? 3000 };
  }

  private emit(line: string): void {
    this.lines.push(line);
    for (const l of this.listeners) l(line);
  }

  /** @internal the HTTP layer's entry point */
  async call(method: string, params: Params, signal: AbortSignal): Promise<unknown> {
    const handler = BY_LOWER.get(method.toLowerCase());
    const at = this.state.now();
    const record: ApiCall = { method, params: { ...params.raw }, ok: false, at };
    for (const [name, up] of params.uploads) record.params[`attach:${name}`] = `<${up.filename}, ${up.bytes.length} bytes>`;
    this.calls.push(record);
    const ctx: MethodContext = {
      state: this.state, queue: this.queue, limiter: this.limiter, params, signal, events: this.world.events,
      options: {
        rejectUnknownHtmlEntities: this.options.rejectUnknownHtmlEntities ?? false,
        callbackExpiryMs: this.options.callbackExpiryMs ?? 15_000,
      },
    };
    try {
      if (!handler) throw new ApiError(404, "Not Found");
      assertWellFormed(params.raw);
      const result = await handler(ctx);
      record.ok = true;
      return result;
    } catch (err) {
      if (err instanceof ApiError) record.error = { error_code: err.error_code, description: err.description };
      throw err;
    }
  }

  /** @internal */
  hasMethod(method: string): boolean {
    return BY_LOWER.has(method.toLowerCase());
  }

  /** The menu button `user` sees in their private chat with the bot (setChatMenuButton's, or the default). */
  menuButton(user: SimUser): Record<string, unknown> {
    return this.state.menuButtons.get(String(user.id)) ?? this.state.menuButtons.get("") ?? { type: "commands" };
  }

  /** The signed `initData` of a Mini App `user` opens from this bot now (or at `opts.authDate`, in seconds). */
  webAppInitData(user: SimUser, opts: InitDataOptions = {}): string {
    return signInitData(this.token, user, { ...opts, now: this.state.now() });
  }

  user(fields: { first_name: string; last_name?: string; username?: string; language_code?: string; id?: number }): SimUser {
    return this.state.addUser(fields);
  }

  group(opts: { title: string; type?: "group" | "supergroup"; is_forum?: boolean; admins?: SimUser[]; members?: SimUser[]; creator?: SimUser }): SimChat {
    const record = this.state.addGroup(opts.title, opts.is_forum ? "supergroup" : (opts.type ?? "supergroup"), opts.is_forum ?? false);
    const since = this.state.now();
    const [first, ...rest] = opts.admins ?? [];
    const creator = opts.creator ?? first;
    if (creator) record.members.set(creator.id, { status: "creator", since });
    for (const u of rest) if (u !== creator) record.members.set(u.id, { status: "administrator", since });
    for (const u of opts.members ?? []) if (!record.members.has(u.id)) record.members.set(u.id, { status: "member", since });
    return record.chat;
  }

  /** Someone adds the bot to a group (my_chat_member); asAdmin makes later joins arrive as chat_member. */
  addBot(group: SimChat, opts: { by: SimUser; asAdmin?: boolean }): void {
    actors.setMember(this.world, actors.recordOf(this.world, group), this.bot, opts.asAdmin ? "administrator" : "member", opts.by);
    this.emit(`[${group.title}] ${opts.by.first_name} added 🤖 ${this.bot.first_name}${opts.asAdmin ? " as admin" : ""}`);
  }

  removeBot(group: SimChat, opts: { by: SimUser }): void {
    actors.setMember(this.world, actors.recordOf(this.world, group), this.bot, "kicked", opts.by);
    this.emit(`[${group.title}] ${opts.by.first_name} removed 🤖 ${this.bot.first_name}`);
  }

  /** A user joins: chat_member (when the bot is admin) and a new_chat_members service message. */
  join(group: SimChat, user: SimUser): SimMessage {
    const record = actors.recordOf(this.world, group);
    actors.setMember(this.world, record, user, "member", user);
    return actors.userPost(this.world, user, group, { new_chat_members: [user] }, {});
  }

  /** An admin upgrades a basic group to a supergroup; returns the supergroup (a new chat id). */
  upgradeToSupergroup(group: SimChat, opts: { by: SimUser }): SimChat {
    return upgradeToSupergroup(this.world, group, opts.by);
  }

  leave(group: SimChat, user: SimUser): SimMessage {
    const record = actors.recordOf(this.world, group);
    const m = actors.userPost(this.world, user, group, { left_chat_member: user }, {});
    actors.setMember(this.world, record, user, "left", user);
    return m;
  }

  /** An administrator changes what members may send (setChatPermissions); the bot as a plain member follows it. */
  setChatPermissions(group: SimChat, permissions: { can_send_photos?: boolean }): void {
    const record = actors.recordOf(this.world, group);
    record.permissions = { ...record.permissions, ...permissions };
    this.emit(`[${group.title}] permissions changed: ${JSON.stringify(permissions)}`);
  }

  /** The creator edits the bot's administrator rights (e.g. takes can_manage_topics away). */
  setBotRights(group: SimChat, rights: { can_manage_topics?: boolean }): void {
    const record = actors.recordOf(this.world, group);
    record.botRights = { ...record.botRights, ...rights };
    this.emit(`[${group.title}] 🤖 rights changed: ${JSON.stringify(rights)}`);
  }

  /** A forum topic is closed by an administrator: only those who manage topics may write in it. */
  closeTopic(group: SimChat, threadId: number, by: SimUser): SimMessage {
    return this.topicService(group, threadId, by, { forum_topic_closed: {} }, (t) => (t.closed = true));
  }

  reopenTopic(group: SimChat, threadId: number, by: SimUser): SimMessage {
    return this.topicService(group, threadId, by, { forum_topic_reopened: {} }, (t) => (t.closed = false));
  }

  /** A forum topic is deleted with all its messages; sending into it gets "message thread not found". */
  deleteTopic(group: SimChat, threadId: number): void {
    const record = actors.recordOf(this.world, group);
    if (!record.topics.delete(threadId)) throw new Error(`simulator: no topic ${threadId}`);
    for (const m of record.messages) if (m.message_thread_id === threadId || m.message_id === threadId) m.deleted = true;
    this.emit(`[${group.title}] topic ${threadId} deleted`);
  }

  private topicService(group: SimChat, threadId: number, by: SimUser, fields: Partial<SimMessage>, change: (t: { closed?: boolean }) => void): SimMessage {
    const topic = actors.recordOf(this.world, group).topics.get(threadId);
    if (!topic) throw new Error(`simulator: no topic ${threadId}`);
    change(topic);
    return actors.userPost(this.world, by, group, fields, { threadId });
  }

  privateChat(user: SimUser): SimChat {
    return this.state.privateChat(user).chat;
  }

  /** The user opens the bot and presses Start (sends /start); unblocks a blocked bot too. */
  async startPrivate(user: SimUser, payload?: string): Promise<SimMessage> {
    const rec = this.state.userRecord(user.id);
    if (rec) {
      rec.started = true;
      rec.blocked = false;
    }
    return this.send(user, this.privateChat(user), payload ? `/start ${payload}` : "/start");
  }

  block(user: SimUser): void {
    const rec = this.state.userRecord(user.id);
    if (!rec) throw new Error("simulator: unknown user");
    rec.blocked = true;
    const record = this.state.privateChat(user);
    this.queue.push("my_chat_member", {
      chat: { id: user.id, type: "private", first_name: user.first_name },
      from: { id: user.id, is_bot: false, first_name: user.first_name },
      date: this.state.unixNow(),
      old_chat_member: { status: "member", user: { id: this.bot.id, is_bot: true, first_name: this.bot.first_name } },
      new_chat_member: { status: "kicked", until_date: 0, user: { id: this.bot.id, is_bot: true, first_name: this.bot.first_name } },
    });
    this.emit(`[${record.chat.first_name}] ${user.first_name} blocked the bot`);
  }

  async send(from: SimUser, chat: SimChat, text: string, opts: actors.SendOptions = {}): Promise<SimMessage> {
    return actors.userPost(this.world, from, chat, { text }, opts);
  }

  /** A user sends a poll made with Telegram's composer (by default a quiz; `correct_option_id` marks the right option). */
  async sendPoll(from: SimUser, chat: SimChat, opts: actors.UserPollOptions): Promise<SimMessage> {
    return actors.userPoll(this.world, from, chat, opts);
  }

  async sendPhoto(from: SimUser, chat: SimChat, opts: actors.MediaOptions = {}): Promise<SimMessage> {
    const photo = actors.userFile(this.world, "photos", opts);
    return actors.userPost(this.world, from, chat, { photo, ...(opts.caption ? { caption: opts.caption } : {}) }, opts);
  }

  async sendVoice(from: SimUser, chat: SimChat, opts: actors.MediaOptions = {}): Promise<SimMessage> {
    const voice = actors.userFile(this.world, "voice", { mime_type: "audio/ogg", ...opts });
    return actors.userPost(this.world, from, chat, { voice, ...(opts.caption ? { caption: opts.caption } : {}) }, opts);
  }

  async sendDocument(from: SimUser, chat: SimChat, opts: actors.MediaOptions = {}): Promise<SimMessage> {
    const document = actors.userFile(this.world, "documents", { file_name: "file.txt", ...opts });
    return actors.userPost(this.world, from, chat, { document, ...(opts.caption ? { caption: opts.caption } : {}) }, opts);
  }

  /**
   * Telegram no longer takes this file_id (as after the bot's token was revoked, or a file id from another
   * bot): sending it answers "wrong file identifier/HTTP URL specified" until the file is uploaded again.
   */
  forgetFile(fileId: string): void {
    this.state.files.delete(fileId);
  }

  /** Presses a button (by text or callback_data); resolves with the bot's answer, or null if none came. */
  press(from: SimUser, message: SimMessage, button: string): Promise<CallbackAnswer | null> {
    return actors.press(this.world, from, message, button);
  }

  /** A press carrying `data` that no button of the message has: what a forged or stale client sends. */
  pressForged(from: SimUser, message: SimMessage, data: string): Promise<CallbackAnswer | null> {
    return actors.press(this.world, from, message, "(forged)", data);
  }

  async answerPoll(from: SimUser, poll: SimMessage | string, optionIds: number[]): Promise<SimPoll> {
    return actors.answerPoll(this.world, from, poll, optionIds);
  }

  closePoll(pollId: string): void {
    const poll = this.state.polls.get(pollId);
    if (!poll) throw new Error(`simulator: no poll ${pollId}`);
    closePoll(this.world, poll);
  }

  /**
   * Queues `raw` exactly as given for getUpdates or the webhook, with the next update_id, whatever its
   * kind and shape (allowed_updates does not filter it): for tests of hostile or malformed updates.
   * Nothing in the simulated world changes. When it is a callback_query with a string id, the bot may
   * answer it as a real press, and `answer` resolves with that answer (null if none came in time).
   * Only objects: Telegram never sends anything else.
   */
  injectUpdate(raw: unknown): { update_id: number; answer?: Promise<CallbackAnswer | null> } {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      throw new TypeError("simulator: an update is a JSON object; injectUpdate takes an object");
    }
    const fields = raw as Record<string, unknown>;
    const answer = this.expectAnswer(fields.callback_query);
    const update = this.queue.pushRaw(fields);
    this.emit(`(injected update #${update.update_id}: ${Object.keys(fields).join(", ") || "empty"})`);
    return answer ? { update_id: update.update_id, answer } : { update_id: update.update_id };
  }

  private expectAnswer(query: unknown): Promise<CallbackAnswer | null> | undefined {
    const id = (query as { id?: unknown } | null | undefined)?.id;
    if (typeof query !== "object" || typeof id !== "string" || this.state.callbacks.has(id)) return undefined;
    const raw = query as { from?: { first_name?: unknown }; data?: unknown };
    const name = typeof raw.from?.first_name === "string" ? raw.from.first_name : "(injected)";
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(null), this.world.pressTimeoutMs);
      this.state.callbacks.set(id, {
        id, from: { id: 0, is_bot: false, first_name: name }, data: typeof raw.data === "string" ? raw.data : "",
        createdAt: this.state.now(), answered: false,
        resolve: (a) => {
          clearTimeout(timer);
          resolve(a);
        },
      });
    });
  }

  messages(chat: SimChat): SimMessage[] {
    return [...(this.state.chats.get(chat.id)?.messages ?? [])].filter((m) => !m.deleted);
  }

  botMessages(chat: SimChat): SimMessage[] {
    return this.messages(chat).filter((m) => m.fromBot);
  }

  /** Polls `predicate` until it returns something truthy; rejects with the recent transcript on timeout. */
  /** Resolves with the predicate's first truthy value (a promise is awaited first: an async predicate waits too). */
  async waitFor<T>(predicate: () => T | undefined | null | false | Promise<T | undefined | null | false>, opts: WaitOptions = {}): Promise<T> {
    const timeout = opts.timeout ?? 5000;
    const started = Date.now();
    for (;;) {
      const value = await predicate();
      if (value) return value;
      if (Date.now() - started > timeout) {
        const recent = this.lines.slice(-12).map((l) => `    ${l}`).join("\n");
        throw new Error(`waitFor timed out after ${timeout}ms${opts.message ? `: ${opts.message}` : ""}\n  recent transcript:\n${recent}`);
      }
      await new Promise((r) => setTimeout(r, opts.interval ?? 10));
    }
  }

  /** Waits for a bot message in `chat` matching `match` (optionally only ones newer than `after`). */
  waitForBotMessage(chat: SimChat, match: (m: SimMessage) => boolean = () => true, opts: WaitOptions & { after?: SimMessage | number } = {}): Promise<SimMessage> {
    const after = typeof opts.after === "number" ? opts.after : (opts.after?.message_id ?? 0);
    return this.waitFor(() => this.botMessages(chat).find((m) => m.message_id > after && match(m)), {
      ...opts,
      message: opts.message ?? `no bot message in ${chat.title ?? chat.first_name} matched`,
    });
  }

  commands(scope?: BotCommandScope, languageCode?: string): BotCommand[] {
    return this.state.commands.get(commandsKey(scope, languageCode)) ?? [];
  }

  transcript(): string[] {
    return [...this.lines];
  }

  /** Live transcript lines; returns an unsubscribe function. */
  onEvent(listener: (line: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The server goes away as Telegram's network would: requests in flight are cut, not waited for. */
  async close(): Promise<void> {
    this.queue.close();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // close() alone waits for every open connection: a request the bot has in flight (or a keep-alive socket it keeps
    // reusing) held a test's close for over a minute under load.
    this.server.closeAllConnections();
    await closed;
  }
}

/**
 * Telegram refuses any parameter string that is not valid Unicode (half a surrogate pair, as a
 * cut by UTF-16 units leaves in a JSON body) with "strings must be encoded in UTF-8".
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
function assertWellFormed(value: unknown): void {
  if (typeof value === "string") {
    if (LONE_SURROGATE.test(value)) throw badRequest("strings must be encoded in UTF-8");
  } else if (Array.isArray(value)) {
    for (const v of value) assertWellFormed(v);
  } else if (value && typeof value === "object") {
    for (const v of Object.values(value)) assertWellFormed(v);
  }
}

/** Starts a simulator on 127.0.0.1; point the bot's apiRoot at `sim.apiRoot`. */
export async function createSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const token = options.token ?? SIMULATOR_TOKEN;
  const botId = Number(token.split(":")[0]) || 123456789;
  const now = options.now ?? Date.now;
  const state = new SimState(now, {
    id: botId, is_bot: true, first_name: options.botName ?? "Sanxue", username: options.botUsername ?? "sanxue_bot",
  });
  const queue = new UpdateQueue(() => Math.floor(now() / 1000), options.webhookRetryMs ?? 200);
  const holder: { sim?: Simulator } = {};
  const host = {
    token,
    faults: [] as Fault[],
    faultHoldMs: options.faultHoldMs ?? 10_000,
    call: (method: string, params: Params, signal: AbortSignal) => (holder.sim as Simulator).call(method, params, signal),
    hasMethod: (method: string) => BY_LOWER.has(method.toLowerCase()),
    fileByPath: (path: string) => [...state.files.values()].find((f) => f.file_path === path),
    control: controlHandler(() => holder.sim as Simulator),
  };
  const { server, port } = await startServer(host, options.port ?? 0);
  const sim = new Simulator(token, state, queue, server, port, options);
  holder.sim = sim;
  host.faults = sim.faults;
  return sim;
}
