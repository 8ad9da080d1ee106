import { GrammyError, HttpError } from "grammy";
import { describe, expect, it } from "vitest";
import { captureLog } from "../support/log-capture.js";

const SECRET_TEXT = "秘密 text";


function refusedSend(): GrammyError {
  return new GrammyError(
    "Call to 'sendMessage' failed!",
    { ok: false, error_code: 400, description: "Bad Request: chat not found", parameters: { migrate_to_chat_id: -1009 } },
    "sendMessage",
    { chat_id: -1001234, text: SECRET_TEXT, parse_mode: "HTML", message_thread_id: 7, reply_markup: { inline_keyboard: [[{ text: SECRET_TEXT, callback_data: "x" }]] } },
  );
}

const LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"] as const;

describe("logs carry ids and counts, never what people wrote", () => {
  it("a GrammyError for a sendMessage with text leaves no trace of the text at any level, however it is logged", async () => {
    const { lines, log, written } = captureLog();
    for (const level of LEVELS) {
      log[level]({ err: refusedSend() }, "as err");
      log[level](refusedSend());
      log[level]({ error: refusedSend(), nested: { deeper: [refusedSend()] } }, "elsewhere in the object");
      log[level]({ err: new HttpError("Network request for 'sendMessage' failed!", refusedSend()) }, "wrapped");
      log[level]({ err: new Error("outer", { cause: refusedSend() }) }, "as a cause");
      log.child({ feature: "x" })[level]({ err: refusedSend() }, "from a child");
    }
    await written(LEVELS.length * 6);
    expect(lines.length).toBe(LEVELS.length * 6);
    const all = lines.join("");
    expect(all).not.toContain("秘密");
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });

  it("keeps what an operator needs: method, error code, description, parameters, the request's ids", async () => {
    const { lines, log, written } = captureLog();
    log.error({ err: refusedSend() }, "refused");
    await written(1);
    const err = (JSON.parse(lines[0] ?? "{}") as { err: Record<string, unknown> }).err;
    expect(err).toMatchObject({
      type: "GrammyError",
      method: "sendMessage",
      error_code: 400,
      description: "Bad Request: chat not found",
      parameters: { migrate_to_chat_id: -1009 },
      payload: { chat_id: -1001234, message_thread_id: 7, text_length: 7, parse_mode: "HTML" },
    });
    expect(typeof err.stack).toBe("string");
  });

  it("names, titles, leave reasons and questions in logged objects keep only their length", async () => {
    const { lines, log, written } = captureLog();
    log.info(
      {
        user: { id: 5, first_name: "秘密张", last_name: "秘密三", username: "secret_handle" },
        group: { id: -100, title: "秘密村" },
        reason: "秘密病假",
        question: { id: 17, text: "秘密问题" },
        userName: "秘密名",
        groupTitle: "秘密群",
        options: ["秘密甲", "秘密乙"],
        optionIds: [0, 2],
        count: 3,
      },
      "a careless log line",
    );
    await written(1);
    const line = lines[0] ?? "";
    expect(line).not.toContain("秘密");
    expect(line).not.toContain("secret_handle");
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(parsed).toMatchObject({ user: { id: 5 }, group: { id: -100 }, question: { id: 17 }, optionIds: [0, 2], count: 3, reason: "[redacted: 4 chars]" });
    expect(parsed.app).toBe("sanxue");
  });

  it("a Redis error shows its command, not the stored text in its arguments", async () => {
    const { lines, log, written } = captureLog();
    const err = Object.assign(new Error("WRONGTYPE Operation against a key holding the wrong kind of value"), {
      name: "ReplyError",
      command: { name: "hset", args: ["sx:q:17", "text", SECRET_TEXT] },
    });
    log.warn({ err }, "redis refused");
    await written(1);
    expect(lines[0]).not.toContain("秘密");
    expect(JSON.parse(lines[0] ?? "{}")).toMatchObject({ err: { type: "ReplyError", command: "hset" } });
  });
});
