import type { MessageEntity } from "grammy/types";
import { detectEntities } from "./html-entities.js";
import { memberUpdated } from "./member-updates.js";
import type { SimEvents } from "./methods/context.js";
import { closePoll } from "./methods/polls.js";
import { apiMessage, apiPoll, apiUser } from "./serialize.js";
import type { ChatRecord, SimState } from "./state.js";
import { renderMessage } from "./transcript.js";
import type { CallbackAnswer, MemberStatus, SimChat, SimFile, SimMessage, SimPoll, SimUser } from "./types.js";
import type { UpdateQueue } from "./update-queue.js";

/** The parts of the simulator that actors act on. */
export interface World {
  state: SimState;
  queue: UpdateQueue;
  events: SimEvents;
  privacyMode: boolean;
  pressTimeoutMs: number;
}

export interface SendOptions {
  replyTo?: SimMessage | number;
  threadId?: number;
  /**
   * The formatting the user's client applied (bold, italic, text_link…; UTF-16 offsets), as Telegram sends it
   * in `entities` (or `caption_entities`) beside those it detects itself (commands, links, mentions).
   */
  entities?: MessageEntity[];
}

/** A poll a user makes with Telegram's poll composer. */
export interface UserPollOptions extends SendOptions {
  question: string;
  options: string[];
  type?: "regular" | "quiz";
  /** Quiz mode: the option the author marked right (the composer requires one). */
  correct_option_id?: number;
  explanation?: string;
  is_anonymous?: boolean;
  allows_multiple_answers?: boolean;
}

export interface MediaOptions extends SendOptions {
  caption?: string;
  bytes?: Buffer;
  file_name?: string;
  mime_type?: string;
}

export function recordOf(world: World, chat: SimChat | number): ChatRecord {
  const id = typeof chat === "number" ? chat : chat.id;
  const record = world.state.chats.get(id);
  if (!record) throw new Error(`simulator: no chat with id ${id}`);
  return record;
}

/** Changes a membership and emits the updates Telegram would send to the bot. */
export function setMember(world: World, record: ChatRecord, user: SimUser, status: MemberStatus, by: SimUser): void {
  const { state, queue } = world;
  const old = record.members.get(user.id)?.status ?? "left";
  record.members.set(user.id, { status, since: state.now() });
  const payload = memberUpdated(state, record, user, by, old, status);
  if (user.id === state.bot.id) queue.push("my_chat_member", payload);
  else if (state.isBotAdmin(record)) queue.push("chat_member", payload);
}

/** Whether a group message reaches a bot in privacy mode (commands, replies to it, mentions, service). */
function botSees(world: World, record: ChatRecord, m: SimMessage, entities: MessageEntity[]): boolean {
  const { state } = world;
  if (record.chat.type === "private") return true;
  const status = state.botStatus(record);
  if (status === "left" || status === "kicked") return false;
  if (!world.privacyMode || status === "administrator" || m.new_chat_members || m.left_chat_member) return true;
  const text = m.text ?? m.caption ?? "";
  const me = state.bot.username?.toLowerCase();
  const replyToBot = m.reply_to_message_id !== undefined && state.findMessage(record, m.reply_to_message_id)?.fromBot;
  return Boolean(replyToBot) || entities.some((e) => {
    const token = text.slice(e.offset, e.offset + e.length).toLowerCase();
    if (e.type === "mention") return token === `@${me}`;
    return e.type === "bot_command" && (!token.includes("@") || token.endsWith(`@${me}`));
  });
}

/** A user posts a message (text or media); the bot gets a message update if it would see it. */
export function userPost(world: World, from: SimUser, chat: SimChat | number, fields: Partial<SimMessage>, opts: SendOptions): SimMessage {
  const { state, queue, events } = world;
  const record = recordOf(world, chat);
  if (record.chat.type === "private") {
    const u = state.userRecord(from.id);
    if (u) u.started = true;
  } else {
    const status = record.members.get(from.id)?.status;
    if (status === undefined || status === "left" || status === "kicked") {
      throw new Error(`simulator: ${from.first_name} is not a member of ${record.chat.title}; use sim.join(group, user) first`);
    }
  }
  const source = fields.text ?? fields.caption ?? "";
  const entities = [...detectEntities(source), ...(opts.entities ?? [])].sort((a, b) => a.offset - b.offset || b.length - a.length);
  const full: Partial<SimMessage> = { ...fields };
  if (entities.length) full[fields.text !== undefined ? "entities" : "caption_entities"] = entities;
  const replyTo = typeof opts.replyTo === "number" ? opts.replyTo : opts.replyTo?.message_id;
  if (replyTo !== undefined) full.reply_to_message_id = replyTo;
  const thread = opts.threadId ?? (typeof opts.replyTo === "object" ? opts.replyTo.message_thread_id : undefined);
  if (thread !== undefined) {
    full.message_thread_id = thread;
    if (record.chat.is_forum) full.is_topic_message = true;
  }
  const m = state.addMessage(record, from, full);
  events.line(renderMessage(m, false, (id) => state.findMessage(record, id)));
  if (botSees(world, record, m, entities)) {
    queue.push("message", apiMessage(m, (id) => state.findMessage(record, id)));
  }
  return m;
}

/**
 * A user sends a poll made in Telegram's composer (what its checks allow: 1-300 characters, 2-10 options of 1-100,
 * a quiz with one right option and an explanation of at most 200). The bot is told the right answer only in its
 * private chat (Poll.correct_option_id: "sent … to the private chat with the bot") or once the poll is closed.
 */
export function userPoll(world: World, from: SimUser, chat: SimChat, opts: UserPollOptions): SimMessage {
  const { state } = world;
  const type = opts.type ?? "quiz";
  const { question, options } = opts;
  if (question.length < 1 || question.length > 300) throw new Error("simulator: a poll question has 1 to 300 characters");
  if (options.length < 2 || options.length > 10 || options.some((o) => o.length < 1 || o.length > 100)) {
    throw new Error("simulator: a poll has 2 to 10 options of 1 to 100 characters");
  }
  const right = opts.correct_option_id;
  if (type === "quiz" && (right === undefined || !Number.isInteger(right) || right < 0 || right >= options.length)) {
    throw new Error("simulator: the quiz composer needs the right option marked");
  }
  if (opts.explanation !== undefined && opts.explanation.length > 200) throw new Error("simulator: a quiz explanation has at most 200 characters");
  const record = recordOf(world, chat);
  const poll: SimPoll = {
    id: state.uniqueId("5").replace(/\D/g, "").padEnd(19, "0").slice(0, 19),
    chatId: record.chat.id,
    messageId: 0,
    question,
    options: options.map((text) => ({ text, voter_count: 0 })),
    type,
    is_anonymous: opts.is_anonymous ?? true,
    allows_multiple_answers: type === "quiz" ? false : (opts.allows_multiple_answers ?? false),
    is_closed: false,
    total_voter_count: 0,
    votes: new Map(),
    ...(type === "quiz" && right !== undefined ? { correct_option_ids: [right] } : {}),
    ...(type === "quiz" && opts.explanation ? { explanation: opts.explanation } : {}),
    answerHidden: type === "quiz" && record.chat.type !== "private",
  };
  const m = userPost(world, from, chat, { poll }, opts);
  poll.messageId = m.message_id;
  state.polls.set(poll.id, poll);
  return m;
}

export function userFile(world: World, kind: "photos" | "documents" | "voice", opts: MediaOptions): SimFile {
  const bytes = opts.bytes ?? Buffer.from(`simulated ${kind}`);
  const meta: { file_name?: string; mime_type?: string } = {};
  if (opts.file_name) meta.file_name = opts.file_name;
  if (opts.mime_type) meta.mime_type = opts.mime_type;
  return world.state.storeFile(bytes, kind, meta);
}

let pressSeq = 0;

/** Finds the button by its text or callback_data and sends a callback_query. */
/** `forge`: send this callback data instead of a button's (a forged or stale press, as a client could send). */
export function press(world: World, from: SimUser, message: SimMessage, button: string, forge?: string): Promise<CallbackAnswer | null> {
  const { state, queue, events } = world;
  const record = recordOf(world, message.chat);
  const current = state.findMessage(record, message.message_id);
  if (!current) throw new Error(`simulator: message #${message.message_id} is gone`);
  const buttons = (current.reply_markup?.inline_keyboard ?? []).flat();
  const found = forge !== undefined ? { text: button, callback_data: forge } : buttons.find((b) => b.text === button) ??
    buttons.find((b) => "callback_data" in b && b.callback_data === button);
  if (!found || !("callback_data" in found) || found.callback_data === undefined) {
    const have = buttons.map((b) => b.text).join(", ") || "none";
    throw new Error(`simulator: no callback button "${button}" on message #${message.message_id} (buttons: ${have})`);
  }
  // Digits only, like Telegram's; a sequence number keeps concurrent presses from sharing an id.
  const id = `${String(state.now() % 1e9).padStart(9, "0")}${String(++pressSeq).padStart(10, "0")}`;
  events.line(`[${renderMessage(current).split("]")[0]?.slice(1)}] ${from.first_name} pressed [${found.text}]`);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), world.pressTimeoutMs);
    state.callbacks.set(id, {
      id, from, message: current, data: found.callback_data as string, createdAt: state.now(), answered: false,
      resolve: (answer) => {
        clearTimeout(timer);
        resolve(answer);
      },
    });
    queue.push("callback_query", {
      id,
      from: apiUser(from),
      message: apiMessage(current, (x) => state.findMessage(record, x)),
      chat_instance: String(Math.abs(record.chat.id)),
      data: found.callback_data,
    });
  });
}

export function answerPoll(world: World, from: SimUser, pollRef: SimMessage | string, optionIds: number[]): SimPoll {
  const { state, queue, events } = world;
  const poll = typeof pollRef === "string" ? state.polls.get(pollRef) : pollRef.poll;
  if (!poll) throw new Error("simulator: no such poll");
  if (poll.close_date !== undefined && state.unixNow() >= poll.close_date) closePoll(world, poll);
  if (poll.is_closed) throw new Error(`simulator: poll "${poll.question}" is closed`);
  if (optionIds.some((i) => i < 0 || i >= poll.options.length)) throw new Error("simulator: option out of range");
  if (optionIds.length > 1 && !poll.allows_multiple_answers) throw new Error("simulator: poll allows one answer");
  const previous = poll.votes.get(from.id);
  if (previous && poll.type === "quiz") throw new Error("simulator: quiz answers cannot be changed");
  for (const i of previous ?? []) (poll.options[i] as { voter_count: number }).voter_count--;
  for (const i of optionIds) (poll.options[i] as { voter_count: number }).voter_count++;
  if (optionIds.length) poll.votes.set(from.id, optionIds);
  else poll.votes.delete(from.id);
  poll.total_voter_count = poll.votes.size;
  events.line(`  ${from.first_name} answered "${poll.question}": ${optionIds.map((i) => poll.options[i]?.text).join(", ") || "(retracted)"}`);
  if (!poll.is_anonymous) queue.push("poll_answer", { poll_id: poll.id, user: apiUser(from), option_ids: optionIds });
  queue.push("poll", apiPoll(poll));
  return poll;
}
