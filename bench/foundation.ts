/**
 * Foundation figures: start-up time and memory of the real bot process, and a lesson pushed to
 * 100 groups under Telegram's limits — each beside a baseline measured in the same run.
 */
import type { GroupInfo } from "../src/groups/index.js";
import { spawn } from "node:child_process";
import { createSimulator } from "../tools/simulator/index.js";
import { startBot } from "../tools/demo/bot-process.js";
import { createApiBot } from "../src/bot/create-bot.js";
import { parseConfig } from "../src/config/config.js";
import { createPacingRepository, createSharedPacer } from "../src/outbox/index.js";
import { startRedis } from "../test/support/redis-server.js";
import { buildServices, manualClock } from "../test/support/in-process.js";
import { median, row, rssMiB } from "./measure.js";


/** node with the tsx loader and nothing else: the floor of any `npm start`. */
async function bareNode(): Promise<{ ms: number; rss: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", "-e", "console.log('ready'); setTimeout(() => {}, 1500)"], { stdio: ["ignore", "pipe", "ignore"] });
  await new Promise<void>((r) => child.stdout.once("data", () => r()));
  const ms = performance.now() - started;
  await new Promise((r) => setTimeout(r, 500));
  const rss = rssMiB(child.pid ?? 0);
  child.kill();
  return { ms, rss };
}

export async function benchFoundation(): Promise<void> {
  console.log("\n# foundation: start-up, memory, push to 100 groups");
  const sim = await createSimulator({ limits: { perSecond: 30, perGroupPerMinute: 20 } });
  const redis = await startRedis();
  try {
    const env = { BOT_TOKEN: sim.token, TELEGRAM_API_ROOT: sim.apiRoot, REDIS_URL: redis.url, CONTENT_DIR: "content", LOG_LEVEL: "info" };
    const starts: number[] = [];
    const rss: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const bot = await startBot(env);
      starts.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 1000));
      rss.push(rssMiB(bot.pid));
      await bot.stop();
    }
    const floors = [await bareNode(), await bareNode(), await bareNode()];
    const startMs = median(starts);
    const floorMs = median(floors.map((f) => f.ms));
    row("start-up to polling (median of 3)", `${startMs.toFixed(0)} ms`, `bare node+tsx ${floorMs.toFixed(0)} ms → ×${(startMs / floorMs).toFixed(1)}`);
    const rssNow = median(rss);
    const rssFloor = median(floors.map((f) => f.rss));
    row("memory after start (RSS, median of 3)", `${rssNow.toFixed(0)} MiB`, `bare node+tsx ${rssFloor.toFixed(0)} MiB → ×${(rssNow / rssFloor).toFixed(1)}`);

    // Push one lesson to 100 groups through the real services, paced like production, with the
    // simulator enforcing Telegram's limits; baseline: the same number of bare sendMessage calls.
    // Wednesday 2026-12-02 20:00 in Shanghai: the policy slot of the sample schedule.
    const slot = Date.parse("2026-12-02T12:00:00Z");
    const clock = manualClock(slot - 86_400_000);
    const app = await buildServices({ sim, redisUrl: redis.url, clock, pacer: "shared", contentDir: "content" });
    const pacer = createSharedPacer(createPacingRepository(app.redis), app.app.config.pacing.botPerSecond);
    const admin = sim.user({ first_name: "管理员" });
    const groups: GroupInfo[] = [];
    for (let i = 0; i < 100; i++) {
      const chat = sim.group({ title: `村${i}`, type: "supergroup", admins: [admin] });
      sim.addBot(chat, { by: admin, asAdmin: true });
      groups.push((await app.services.groups.register({ id: chat.id, type: "supergroup", title: `村${i}` })).group);
    }
    clock.set(slot + 1000);
    const sentBefore = sim.calls.filter((c) => c.ok && c.method.startsWith("send")).length;
    const t0 = performance.now();
    const fired = await app.services.scheduler.tick();
    // The tick enqueues; the outbox worker sends. Done when the outbox is empty.
    while ((await app.services.outbox.depth()) > 0) await new Promise((r) => setTimeout(r, 20));
    const pushMs = performance.now() - t0;
    const sent = sim.calls.filter((c) => c.ok && c.method.startsWith("send")).length - sentBefore;
    const rejected = sim.calls.filter((c) => !c.ok && c.error?.error_code === 429).length;

    const bare = createApiBot(parseConfig({ BOT_TOKEN: sim.token, TELEGRAM_API_ROOT: sim.apiRoot }));
    const t1 = performance.now();
    // as many bare sends as the push made, over the same groups, paced on the same Redis-wide line (28/s)
    await Promise.all(Array.from({ length: sent }, (_, i) => pacer(() => bare.api.sendMessage((groups[i % groups.length] as GroupInfo).id, "基线消息"))));
    const bareMs = performance.now() - t1;
    row("scheduled push to 100 groups (one tick)", `${(pushMs / 1000).toFixed(2)} s`, `${fired.slots} slots, ${sent} messages, ${rejected} × 429; floor at 30/s ${(sent / 30).toFixed(2)} s; bare sendMessage ×${sent} ${(bareMs / 1000).toFixed(2)} s → ×${(pushMs / bareMs).toFixed(2)}`);
    await app.close();
  } finally {
    await sim.close();
    await redis.destroy();
  }
}
