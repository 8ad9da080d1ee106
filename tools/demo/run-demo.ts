/**
 * `npm run demo`: the real bot process against the local Bot API simulator and its own local
 * redis-server, playing a short scene in a village group, printed as a transcript.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSimulator, type SimMessage } from "../simulator/index.js";
import { startBot } from "./bot-process.js";

const hasButtons = (m: SimMessage) => Boolean(m.reply_markup?.inline_keyboard?.length);

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "sanxue-demo-"));
  const sim = await createSimulator({ botUsername: "sanxue_demo_bot" });
  sim.onEvent((line) => console.log(line));
  console.log(`— Bot API simulator on ${sim.apiRoot}; starting the bot (its own redis-server, data in ${dataDir}) —\n`);
  const bot = await startBot({
    BOT_TOKEN: sim.token,
    TELEGRAM_API_ROOT: sim.apiRoot,
    DATA_DIR: dataDir,
    CONTENT_DIR: process.env.CONTENT_DIR ?? "content",
    LOG_LEVEL: "info",
  });
  try {
    const secretary = sim.user({ first_name: "王", last_name: "书记" });
    const liming = sim.user({ first_name: "李明" });
    const zhangfang = sim.user({ first_name: "张芳" });
    const zhaoqiang = sim.user({ first_name: "赵强" });
    const group = sim.group({ title: "红星村学习群", admins: [secretary], members: [liming, zhangfang] });

    sim.addBot(group, { by: secretary, asAdmin: true });
    await sim.waitForBotMessage(group);
    sim.join(group, zhaoqiang);

    let last = sim.messages(group).at(-1);
    await sim.send(secretary, group, "/push technology");
    const lesson = await sim.waitForBotMessage(group, hasButtons, { after: last, timeout: 10_000 });

    await sim.press(liming, lesson, "已学习 ✓");
    await sim.press(zhangfang, lesson, "已学习 ✓");
    await sim.press(liming, lesson, "已学习 ✓");

    last = sim.messages(group).at(-1);
    await sim.send(zhaoqiang, group, "/push");
    await sim.waitForBotMessage(group, () => true, { after: last });

    console.log("\n— the scene is over: 2 members studied the lesson (李明's second press was not counted twice) —");
  } finally {
    await bot.stop();
    await sim.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
