import { GrammyError, type Api } from "grammy";
import { SendDeferred } from "../../src/outbox/index.js";

/** A message or edit the fake Telegram was asked for. */
export interface SentText {
  method: "sendMessage" | "editMessageText";
  chatId: number;
  text: string;
}

export interface SentPoll {
  chatId: number;
  pollId: string;
  question: string;
  other: Record<string, unknown>;
}

export interface FakeApiOptions {
  /** Record into this array (a test may share one between instances). */
  sent?: SentText[];
  /** Every edit is answered "message is not modified". */
  editsUnchanged?: boolean;
  /** Private sends are deferred, as the outbox's transformer does after a long 429. */
  deferPrivate?: boolean;
  /** The member status Telegram gives (default "member"). */
  memberStatus?: (chatId: number, userId: number) => string;
}

/**
 * A Bot API stand-in for service tests over a real Redis (no simulator): it records what would be
 * sent and answers the few calls services make (send, edit, poll, member and admin checks).
 */
export function fakeApi(opts: FakeApiOptions = {}) {
  const sent = opts.sent ?? [];
  const polls: SentPoll[] = [];
  const memberChecks: number[] = [];
  const stopped: { chatId: number; messageId: number }[] = [];
  let nextId = 100;
  const api = {
    sendMessage: async (chatId: number, text: string) => {
      if (opts.deferPrivate && chatId > 0) throw new SendDeferred("sendMessage", 200_000, "job");
      sent.push({ method: "sendMessage", chatId, text });
      return { message_id: nextId++ };
    },
    editMessageText: async (chatId: number, _id: number, text: string) => {
      if (opts.editsUnchanged) {
        const description = "Bad Request: message is not modified: specified new message content and reply markup are exactly the same";
        throw new GrammyError("Call to 'editMessageText' failed!", { ok: false, error_code: 400, description }, "editMessageText", {});
      }
      sent.push({ method: "editMessageText", chatId, text });
      return true;
    },
    sendPoll: async (chatId: number, question: string, _options: unknown, other: Record<string, unknown> = {}) => {
      const pollId = `poll-${polls.length + 1}`;
      polls.push({ chatId, pollId, question, other });
      return { message_id: nextId++, poll: { id: pollId } };
    },
    stopPoll: async (chatId: number, messageId: number) => {
      stopped.push({ chatId, messageId });
      return { is_closed: true };
    },
    getChatAdministrators: async () => [],
    getChatMember: async (chatId: number, userId: number) => {
      memberChecks.push(userId);
      return { status: opts.memberStatus?.(chatId, userId) ?? "member", user: { id: userId, is_bot: false, first_name: `成员${userId}` } };
    },
  };
  return {
    // The fake covers only the calls services make; the cast stands in for the full client.
    api: api as unknown as Api,
    sent,
    polls,
    /** The users whose membership was asked of Telegram, in order. */
    memberChecks,
    /** The polls stopped (stopPoll), in order. */
    stopped,
    /** The new messages (not the edits). */
    get texts(): SentText[] {
      return sent.filter((s) => s.method === "sendMessage");
    },
  };
}
