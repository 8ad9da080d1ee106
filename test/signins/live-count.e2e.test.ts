import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppStage, type AppStage } from "../support/stage.js";
import { waitFor } from "../support/wait-for.js";

/**
 * The simulator's clock runs SPEED times as fast as the wall, so Telegram's 20-a-minute group window passes in
 * 60 / SPEED seconds; the instances' edit interval is shortened by the same factor (5 s of the simulator's time).
 */
const SPEED = 20;
const EDIT_INTERVAL_MS = 5000 / SPEED;
const MEMBERS = 120;
/** Long enough for several of the simulator's minutes. */
const PRESSING_MS = 4000;

let stage: AppStage;
const t0 = Date.now();

beforeAll(async () => {
  stage = await startAppStage({
    simulator: { limits: { perSecond: 30, perGroupPerMinute: 20 }, now: () => t0 + (Date.now() - t0) * SPEED },
  });
});
afterAll(async () => {
  await stage?.close();
});

describe("the live count of a sign-in across instances", () => {
  it("two instances taking presses together edit the message within the group's 20 a minute, and the last edit shows every press", async () => {
    const pacing = { liveEditIntervalMs: EDIT_INTERVAL_MS };
    const a = await stage.app({ instanceId: "a", pacing });
    const b = await stage.app({ instanceId: "b", pacing });
    const admin = stage.sim.user({ first_name: "王书记" });
    const chat = stage.sim.group({ title: "红旗村", type: "supergroup", admins: [admin] });
    stage.sim.addBot(chat, { by: admin, asAdmin: true });
    const { group } = await a.services.groups.register({ id: chat.id, type: "supergroup", title: "红旗村" });
    const opened = await a.services.signins.open(group, { minutes: 30, title: "周五学习会", openedBy: admin.id });
    expect(opened.kind).toBe("opened");
    const sessionId = opened.session.id;

    // Presses arrive spread over several of the simulator's minutes, alternately at the two instances.
    const presses: Promise<unknown>[] = [];
    for (let i = 0; i < MEMBERS; i++) {
      const at = i % 2 === 0 ? a : b;
      presses.push(at.services.signins.signIn(group, 5000 + i, sessionId));
      await new Promise((r) => setTimeout(r, PRESSING_MS / MEMBERS));
    }
    const results = (await Promise.all(presses)) as { kind: string }[];
    expect(results.filter((r) => r.kind === "signed-in")).toHaveLength(MEMBERS);

    const message = () => stage.sim.messages(chat).find((m) => m.message_id === opened.session.messageId);
    await waitFor(() => (message()?.text ?? "").includes(`已签到：${MEMBERS} 人`), { timeout: 10_000 });
    await waitFor(() => a.services.signins.pendingEdits() + b.services.signins.pendingEdits() === 0, { timeout: 10_000 });

    const toGroup = stage.sim.calls.filter((c) => c.params.chat_id === chat.id || c.params.chat_id === String(chat.id));
    const edits = toGroup.filter((c) => c.method === "editMessageText");
    expect(toGroup.filter((c) => c.error?.error_code === 429)).toEqual([]);
    // The storm took several edits…
    expect(edits.length).toBeGreaterThan(3);
    // …and no two edits of the message came closer than the interval allows, whichever instance made them.
    const simInterval = EDIT_INTERVAL_MS * SPEED;
    const gaps = edits.slice(1).map((c, i) => c.at - (edits[i]?.at ?? 0));
    expect(gaps.filter((g) => g < simInterval / 2)).toEqual([]);
    expect(message()?.text).toContain(`已签到：${MEMBERS} 人`);
  });
});
