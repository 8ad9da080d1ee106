import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStage, type Stage } from "../support/scene.js";
import type { SimMessage, SimUser } from "../../tools/simulator/index.js";

let stage: Stage;
let li: SimUser;

beforeAll(async () => {
  stage = await startStage({ env: { DEFAULT_LOCALE: "en" } });
  const admin = stage.sim.user({ first_name: "Wang" });
  // A language the bot does not speak: the configured default decides.
  li = stage.sim.user({ first_name: "Li", language_code: "de" });
  const group = stage.sim.group({ title: "Red Star study group", admins: [admin], members: [li] });
  stage.sim.addBot(group, { by: admin, asAdmin: true });
  await stage.sim.waitForBotMessage(group, () => true);
});

afterAll(async () => {
  await stage?.close();
});

describe("with DEFAULT_LOCALE=en", () => {
  it("texts made outside the context (a practice round's intro) come in the default locale, as the replies do", async () => {
    const chat = stage.sim.privateChat(li);
    await stage.sim.startPrivate(li);
    await stage.sim.waitForBotMessage(chat, () => true);
    const before = stage.sim.messages(chat).at(-1);
    await stage.sim.send(li, chat, "/practice technology");
    const intro: SimMessage = await stage.sim.waitForBotMessage(chat, (m) => !m.poll && (m.text ?? "").startsWith("📝"), { after: before });
    expect(intro.text).toContain("Practice:");
    expect(intro.text).not.toMatch(/\p{Script=Han}/u);
  });
});

describe("a service's log lines during an update", () => {
  it("carry the update's update_id (the practice service logs with its own logger)", async () => {
    const started = JSON.parse(await stage.bot.waitForLog(/"msg":"practice started"/)) as Record<string, unknown>;
    expect(started?.feature).toBe("practice");
    expect(started?.update_id).toEqual(expect.any(Number));
  });
});
