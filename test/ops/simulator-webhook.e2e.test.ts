import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { Bot } from "grammy";
import { createSimulator, type Simulator } from "../../tools/simulator/index.js";
import { waitFor } from "../support/wait-for.js";

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
});

/** A receiver that holds every request until released, recording how many were open at once. */
async function holdingReceiver() {
  const held: (() => void)[] = [];
  let open = 0;
  let maxOpen = 0;
  const ids: number[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      open++;
      maxOpen = Math.max(maxOpen, open);
      ids.push((JSON.parse(body) as { update_id: number }).update_id);
      held.push(() => {
        open--;
        res.writeHead(200).end();
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    held, ids,
    get maxOpen() { return maxOpen; },
    close: () => server.close(),
  };
}

describe("simulator webhook deliveries", () => {
  it.each([
    [undefined, 40],
    [5, 5],
  ])("with max_connections %s it keeps up to %i requests open at once, and delivers every update once", async (max, expected) => {
    sim = await createSimulator({ limits: false });
    const s = sim;
    const receiver = await holdingReceiver();
    try {
      const bot = new Bot(s.token, { client: { apiRoot: s.apiRoot } });
      await bot.api.setWebhook(receiver.url, max ? { max_connections: max } : {});
      const users = Array.from({ length: 60 }, (_, i) => s.user({ first_name: `u${i}` }));
      for (const u of users) await s.startPrivate(u);
      await s.waitFor(() => receiver.held.length === expected);
      expect(receiver.maxOpen).toBe(expected);
      // Releases what is held as it arrives, until all 60 went through.
      await waitFor(() => {
        receiver.held.splice(0).forEach((release) => release());
        return receiver.ids.length >= 60 && receiver.held.length === 0;
      }, { interval: 5, message: "all 60 updates through the webhook" });
      await s.waitFor(() => s.queue.pendingCount === 0);
      expect(new Set(receiver.ids).size).toBe(60);
      expect(receiver.ids).toHaveLength(60);
      expect(receiver.maxOpen).toBe(expected);
    } finally {
      receiver.close();
    }
  });
});
