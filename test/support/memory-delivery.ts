import type { Delivery } from "../../src/outbox/index.js";

/** A crash the memory delivery throws on purpose. */
export class SimulatedCrash extends Error {}

/**
 * The outbox's delivery without BullMQ, for service tests: keys already in `done` are skipped like a
 * retried job's; `crashAfter` throws once that many sends and side effects have been recorded, as a
 * process killed right after them would stop. Pass the same `done` to the retry.
 */
export function memoryDelivery(id: string, done: Record<string, number> = {}, crashAfter = Infinity): Delivery & { done: Record<string, number> } {
  let steps = 0;
  const record = (key: string, value: number) => {
    done[key] = value;
    if (++steps >= crashAfter) throw new SimulatedCrash(`crashed after ${steps} steps`);
  };
  return {
    id,
    done,
    async send(key, _chatId, send) {
      const sent = done[key];
      if (sent !== undefined) return sent;
      const msg = await send();
      record(key, msg.message_id);
      return msg.message_id;
    },
    async once(key, run) {
      if (done[key] !== undefined) return;
      await run();
      record(key, 0);
    },
  };
}
