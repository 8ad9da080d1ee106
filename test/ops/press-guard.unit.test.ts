import { describe, expect, it } from "vitest";
import { Bot } from "grammy";
import type { Update } from "grammy/types";
import { markReceived, pressGuard } from "../../src/ops/index.js";
import { letTimePass, waitFor } from "../support/wait-for.js";

/** A bot whose Bot API calls are recorded, not sent. */
function recordingBot() {
  const bot = new Bot("123:fake", { botInfo: { id: 123, is_bot: true, first_name: "b", username: "b" } as never });
  const answers: { at: number; text?: string }[] = [];
  bot.api.config.use(async (_prev, method, payload) => {
    if (method === "answerCallbackQuery") answers.push({ at: Date.now(), text: (payload as { text?: string }).text });
    return { ok: true, result: true } as never;
  });
  return { bot, answers };
}

const press = (id: number): Update =>
  ({
    update_id: id,
    callback_query: { id: `q${id}`, from: { id: 7, is_bot: false, first_name: "甲" }, chat_instance: "1", data: "x" },
  }) as Update;

describe("press guard", () => {
  it("a press whose handler is still waiting is answered 'busy' by the deadline, and its late answer is not sent", async () => {
    const { bot, answers } = recordingBot();
    bot.use(pressGuard(() => "系统忙，请稍后再试。", 200));
    let release: () => void = () => undefined;
    bot.on("callback_query", async (ctx) => {
      await new Promise<void>((r) => (release = r)); // e.g. waiting for Redis to come back
      await ctx.answerCallbackQuery({ text: "已记录" });
    });
    const u = press(1);
    const started = Date.now();
    markReceived(u, started);
    const handled = bot.handleUpdate(u);
    await waitFor(() => answers.length > 0, { timeout: 2000, message: "the guard's answer" });
    expect(answers).toEqual([{ at: expect.any(Number) as number, text: "系统忙，请稍后再试。" }]);
    expect((answers[0]?.at ?? 0) - started).toBeLessThan(1_000);
    release();
    await handled;
    expect(answers).toHaveLength(1);
  });

  it("a press answered in time gets only its own answer", async () => {
    const { bot, answers } = recordingBot();
    bot.use(pressGuard(() => "busy", 200));
    bot.on("callback_query", (ctx) => ctx.answerCallbackQuery({ text: "已记录" }));
    await bot.handleUpdate(press(2));
    await letTimePass(300); // past the deadline: the guard must stay quiet
    expect(answers.map((a) => a.text)).toEqual(["已记录"]);
  });

  it("the deadline counts from when the press came in, not from when it is handled", async () => {
    const { bot, answers } = recordingBot();
    bot.use(pressGuard(() => "busy", 5_000));
    bot.on("callback_query", () => letTimePass(300)); // a handler that takes its time
    const u = press(3);
    markReceived(u, Date.now() - 5_000); // fetched 5 s ago, e.g. held while Redis was down
    await bot.handleUpdate(u);
    expect(answers.map((a) => a.text)).toEqual(["busy"]);
  });
});
