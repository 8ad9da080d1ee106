import { GrammyError } from "grammy";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { followUpgradedGroups } from "../../src/groups/index.js";
import { retryingUpgradesAsWhole, upgradedTo } from "../../src/shared/telegram-errors.js";

const UPGRADED = { ok: false, error_code: 400, description: "Bad Request: group chat was upgraded to a supergroup chat", parameters: { migrate_to_chat_id: -1002000000009 } } as const;

/** A Bot API stand-in: the old id is refused as upgraded, anything else succeeds. */
function telegram() {
  const seen: { method: string; payload: Record<string, unknown> }[] = [];
  // The transformer's `prev` is generic over every method; this stand-in answers all alike.
  const prev = (async (method: string, payload: Record<string, unknown>) => {
    seen.push({ method, payload });
    return payload.chat_id === -4000000009 ? UPGRADED : { ok: true, result: true };
  }) as never;
  return { seen, prev };
}

function transformer() {
  const moves: [number, number][] = [];
  const t = followUpgradedGroups({ move: async (from, to) => void moves.push([from, to]) }, pino({ level: "silent" }));
  return { moves, call: (prev: never, method: string, payload: Record<string, unknown>) => t(prev, method as never, payload as never) };
}

describe("a request to a group that was upgraded", () => {
  it("the predicate names the supergroup only for that 400, thrown or raw", () => {
    expect(upgradedTo(UPGRADED)).toBe(-1002000000009);
    expect(upgradedTo(new GrammyError("x", UPGRADED, "sendMessage", {}))).toBe(-1002000000009);
    expect(upgradedTo({ ok: false, error_code: 400, description: "Bad Request: chat not found" })).toBeUndefined();
    expect(upgradedTo({ ok: false, error_code: 429, parameters: { retry_after: 3 } })).toBeUndefined();
    expect(upgradedTo(new Error("boom"))).toBeUndefined();
  });

  it("a send moves the group and is re-sent to the supergroup, a reply no longer needing its message", async () => {
    const api = telegram();
    const { moves, call } = transformer();
    const result = await call(api.prev, "sendMessage", { chat_id: -4000000009, text: "hi", reply_parameters: { message_id: 5 } });
    expect(result).toEqual({ ok: true, result: true });
    expect(moves).toEqual([[-4000000009, -1002000000009]]);
    expect(api.seen[1]?.payload).toEqual({ chat_id: -1002000000009, text: "hi", reply_parameters: { message_id: 5, allow_sending_without_reply: true } });
  });

  it("an edit, or any request of an outbox job, only moves the group and fails as Telegram said", async () => {
    const api = telegram();
    const { moves, call } = transformer();
    expect(await call(api.prev, "editMessageText", { chat_id: -4000000009, message_id: 3, text: "x" })).toEqual(UPGRADED);
    expect(await retryingUpgradesAsWhole(() => call(api.prev, "sendMessage", { chat_id: -4000000009, text: "x" }))).toEqual(UPGRADED);
    expect(moves).toHaveLength(2);
    expect(api.seen).toHaveLength(2);
    expect(await call(api.prev, "sendMessage", { chat_id: -1002000000009, text: "ok" })).toEqual({ ok: true, result: true });
    expect(moves).toHaveLength(2);
  });
});
