import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPacingRepository, createSharedPacer } from "../../src/outbox/index.js";
import { DEFAULT_PACING } from "../../src/config/config.js";
import type { SimChat } from "../../tools/simulator/index.js";
import { startAppStage, type AppStage } from "../support/stage.js";
import type { InProcess } from "../support/in-process.js";
import { busiestSecond } from "./fanout.js";

/** Direct sends (not outbox jobs) of two instances on the one Redis-wide line, against Telegram's 30 a second. */
let stage: AppStage;
let instances: InProcess[];

beforeAll(async () => {
  stage = await startAppStage({ simulator: { limits: { perSecond: 30, perGroupPerMinute: 20 } } });
  instances = [await stage.app({ instanceId: "a" }), await stage.app({ instanceId: "b" })];
});

afterAll(async () => {
  await stage?.close();
});

describe("the shared pacer", () => {
  it("two instances sending at once never make 31 messages in any second, and nothing is refused", async () => {
    const { sim } = stage;
    const since = Date.now() - 60_000;
    const chats: SimChat[] = Array.from({ length: 150 }, (_, i) => {
      const chat = sim.group({ title: `村${i}`, type: "supergroup" });
      sim.state.chats.get(chat.id)?.members.set(sim.bot.id, { status: "member", since });
      return chat;
    });
    // Each instance its own pacer over its own connection, as createApp builds it: all 150 asked for at once.
    await Promise.all(
      chats.map((chat, i) => {
        const instance = instances[i % 2] as InProcess;
        const pacer = createSharedPacer(createPacingRepository(instance.redis), DEFAULT_PACING.botPerSecond);
        return pacer(() => instance.app.bot.api.sendMessage(chat.id, `第${i}课`));
      }),
    );
    const sends = sim.calls.filter((c) => c.method === "sendMessage");
    expect(sends.filter((c) => c.error?.error_code === 429)).toEqual([]);
    expect(sends.filter((c) => c.ok)).toHaveLength(chats.length);
    expect(busiestSecond(sends.map((c) => c.at).sort((a, b) => a - b))).toBeLessThanOrEqual(30);
    // At the line's pace, not slower: 150 at 30 a second is 5 s from the first to the last.
    const span = Math.max(...sends.map((c) => c.at)) - Math.min(...sends.map((c) => c.at));
    expect(span).toBeGreaterThanOrEqual(4900);
  }, 60_000);
});
