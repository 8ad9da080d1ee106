import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimChat, SimMessage, SimUser, Simulator } from "../../tools/simulator/index.js";
import { manualClock, tickUntilIdle, type InProcess } from "../support/in-process.js";
import { startAppStage, type AppStage } from "../support/stage.js";
import { waitFor } from "../support/wait-for.js";

const T0 = Date.parse("2026-12-01T12:00:00Z");
const HOUR = 3600_000;

let stage: AppStage;
let sim: Simulator;
let app: InProcess;
const clock = manualClock(T0);
let admin: SimUser;
let li: SimUser;
let group: SimChat;

/** The scheduler's ticks at a moment (timers) and the outbox, until nothing is left. */
async function tickAt(at: number): Promise<void> {
  clock.set(at);
  await tickUntilIdle(app.services);
}

beforeAll(async () => {
  stage = await startAppStage();
  sim = stage.sim;
  app = await stage.app({ clock, run: { updates: true } });
  admin = sim.user({ first_name: "王书记" });
  li = sim.user({ first_name: "李明" });
  group = sim.group({ title: "期限村", type: "supergroup", admins: [admin], members: [li] });
  sim.addBot(group, { by: admin, asAdmin: true });
  await sim.waitForBotMessage(group, (m) => (m.text ?? "").includes("三学助手"));
}, 60_000);
afterAll(async () => {
  await app?.close();
  await stage?.close();
});

describe("a survey with a deadline", () => {
  it("closes by itself at the deadline: its polls stop and the final results come to the group, once", async () => {
    const before = sim.messages(group).at(-1);
    await sim.send(admin, group, "/survey needs 12h");
    await sim.waitForBotMessage(group, (m) => (m.text ?? "").includes("自动结束"), { after: before });
    const polls = sim.botMessages(group).filter((m) => m.poll);
    expect(polls.length).toBeGreaterThan(0);
    await sim.answerPoll(li, polls[0] as SimMessage, [1]);
    await waitFor(async () => (await app.services.surveys.latestResults(group.id))?.questions[0]?.voters === 1, { message: "the vote counted" });

    await tickAt(T0 + 12 * HOUR - 60_000); // a minute early: still open
    expect(sim.botMessages(group).some((m) => (m.text ?? "").includes("已到期结束"))).toBe(false);
    await tickAt(T0 + 12 * HOUR + 1000);
    const closed = await sim.waitForBotMessage(group, (m) => (m.text ?? "").includes("已到期结束"));
    expect(closed.text).toContain("（1 人作答）");
    expect(sim.calls.filter((c) => c.method === "stopPoll")).toHaveLength(polls.length);
    await tickAt(T0 + 14 * HOUR);
    expect(sim.botMessages(group).filter((m) => (m.text ?? "").includes("已到期结束"))).toHaveLength(1);
    // Closed means closed: /survey close finds nothing open.
    const last = sim.messages(group).at(-1);
    await sim.send(admin, group, "/survey close");
    await sim.waitForBotMessage(group, (m) => (m.text ?? "").includes("没有正在进行的调查"), { after: last });
  });
});
