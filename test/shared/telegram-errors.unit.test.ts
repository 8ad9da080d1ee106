import { GrammyError, HttpError } from "grammy";
import { describe, expect, it } from "vitest";
import {
  cannotWritePrivately,
  isChatNotFound,
  isClosedTopic,
  isForbidden,
  isMissingTopic,
  isNotModified,
  isRefused,
} from "../../src/shared/telegram-errors.js";

/** A refusal as grammY throws it, with Telegram's own wording. */
const refusal = (error_code: number, description: string, parameters = {}) =>
  new GrammyError(`Call to 'sendMessage' failed! (${error_code}: ${description})`, { ok: false, error_code, description, parameters }, "sendMessage", {});

const BLOCKED = refusal(403, "Forbidden: bot was blocked by the user");
const NEVER_STARTED = refusal(403, "Forbidden: bot can't initiate conversation with a user");
const CHAT_NOT_FOUND = refusal(400, "Bad Request: chat not found");
const NOT_MODIFIED = refusal(400, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message");
const THREAD_NOT_FOUND = refusal(400, "Bad Request: message thread not found");
const TOPIC_DELETED = refusal(400, "Bad Request: TOPIC_DELETED");
const TOPIC_ID_INVALID = refusal(400, "Bad Request: TOPIC_ID_INVALID");
const TOPIC_CLOSED = refusal(400, "Bad Request: TOPIC_CLOSED");
const TOO_MANY = refusal(429, "Too Many Requests: retry after 5", { retry_after: 5 });
const SERVER = refusal(502, "Bad Gateway");
const NETWORK = new HttpError("Network request for 'sendMessage' failed!", new Error("ECONNRESET"));
const PLAIN = new Error("message is not modified; chat not found; TOPIC_CLOSED");

const ALL = [BLOCKED, NEVER_STARTED, CHAT_NOT_FOUND, NOT_MODIFIED, THREAD_NOT_FOUND, TOPIC_DELETED, TOPIC_ID_INVALID, TOPIC_CLOSED, TOO_MANY, SERVER, NETWORK, PLAIN, undefined, null, "403"];

/** Which of ALL a predicate accepts. */
const accepted = (predicate: (err: unknown) => boolean) => ALL.filter((e) => predicate(e));

describe("Telegram error predicates", () => {
  it("403 is forbidden, whatever the wording", () => {
    expect(accepted(isForbidden)).toEqual([BLOCKED, NEVER_STARTED]);
  });

  it("a refusal for good is a 4xx other than 429; 5xx, network and plain errors are not", () => {
    expect(accepted(isRefused)).toEqual([BLOCKED, NEVER_STARTED, CHAT_NOT_FOUND, NOT_MODIFIED, THREAD_NOT_FOUND, TOPIC_DELETED, TOPIC_ID_INVALID, TOPIC_CLOSED]);
  });

  it("'message is not modified' only from Telegram", () => {
    expect(accepted(isNotModified)).toEqual([NOT_MODIFIED]);
  });

  it("chat not found is a 400; with 403 it is 'cannot write privately'", () => {
    expect(accepted(isChatNotFound)).toEqual([CHAT_NOT_FOUND]);
    expect(accepted(cannotWritePrivately)).toEqual([BLOCKED, NEVER_STARTED, CHAT_NOT_FOUND]);
  });

  it("a missing topic and a closed one are told apart", () => {
    expect(accepted(isMissingTopic)).toEqual([THREAD_NOT_FOUND, TOPIC_DELETED, TOPIC_ID_INVALID]);
    expect(accepted(isClosedTopic)).toEqual([TOPIC_CLOSED]);
  });
});
