import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { startStage, type Stage } from "../support/scene.js";
import { waitFor } from "../support/wait-for.js";

let stage: Stage;

beforeAll(async () => {
  stage = await startStage();
});
afterAll(async () => {
  await stage?.close();
});

describe("a reply rate-limited for longer than auto-retry waits (the real bot process)", () => {
  it("a command's reply refused with 429 retry_after 200 is sent once by the outbox after the wait", async () => {
    const { sim } = stage;
    const admin = sim.user({ first_name: "赵主任" });
    const group = sim.group({ title: "长限村", admins: [admin] });
    sim.addBot(group, { by: admin, asAdmin: true });
    const welcome = await sim.waitForBotMessage(group, (m) => (m.text ?? "").includes("三学助手"));

    const fault = { method: "sendMessage", kind: "429" as const, retryAfter: 200, times: 1 };
    sim.faults.push(fault);
    await sim.send(admin, group, "/help");

    const conn = new Redis(stage.redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue("outbox", { connection: conn, prefix: "{sx:outbox}" });
    try {
      const delayed = await waitFor(async () => {
        const calls = (await queue.getDelayed()).filter((j) => j.name === "api-call");
        return calls.length > 0 && calls;
      }, { timeout: 15_000, message: "a delayed api-call job" });
      expect(fault.times).toBe(0);
      expect(delayed).toHaveLength(1);
      expect(delayed[0]?.opts.delay).toBe(200_000);
      expect(sim.botMessages(group).filter((m) => m.message_id > welcome.message_id)).toHaveLength(0);

      await delayed[0]?.promote(); // the 200 s are over
      // The help text an administrator gets (it lists /push), sent late rather than never.
      await sim.waitForBotMessage(group, (m) => (m.text ?? "").includes("/push"), { after: welcome, timeout: 20_000 });
      const id = delayed[0]?.id ?? "";
      await waitFor(async () => (await queue.getJob(id))?.isCompleted(), { message: "the delayed call completed" });
      expect(await (await queue.getJob(id))?.isCompleted()).toBe(true);
      expect(sim.botMessages(group).filter((m) => m.message_id > welcome.message_id)).toHaveLength(1);
    } finally {
      await queue.close();
      conn.disconnect();
    }
  }, 90_000);
});
