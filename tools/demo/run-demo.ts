/**
 * `npm run demo`: the real bot process against the local Bot API simulator and its own local
 * redis-server, playing a short scene in a village group, printed as a transcript. It ends with links that open the
 * organiser console in an ordinary browser, with initData signed by the simulator's token (a real bot checks initData
 * with its own token, so these links open nothing anywhere else).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../src/shared/embedded-redis.js";
import { buildConsolePage } from "../build-console.mjs";
import { createSimulator, webAppLaunchUrl, type SimMessage } from "../simulator/index.js";
import { startBot } from "./bot-process.js";

/** The demo's county organiser (ORGANIZER_IDS). */
const COUNTY_ID = 800_001;

const hasButtons = (m: SimMessage) => Boolean(m.reply_markup?.inline_keyboard?.length);

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "sanxue-demo-"));
  // The organiser console: its page built, served by the bot on a local port (PUBLIC_URL on loopback).
  await buildConsolePage();
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const sim = await createSimulator({ botUsername: "sanxue_demo_bot" });
  sim.onEvent((line) => console.log(line));
  console.log(`— Bot API simulator on ${sim.apiRoot}; starting the bot (its own redis-server, data in ${dataDir}) —\n`);
  const bot = await startBot({
    BOT_TOKEN: sim.token,
    TELEGRAM_API_ROOT: sim.apiRoot,
    DATA_DIR: dataDir,
    CONTENT_DIR: process.env.CONTENT_DIR ?? "content",
    LOG_LEVEL: "info",
    PUBLIC_URL: publicUrl,
    PORT: String(port),
    ORGANIZER_IDS: String(COUNTY_ID),
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

    // The sign-in that opened with the lesson: two members sign in, then the secretary closes it.
    const signinButton = (m: SimMessage) => Boolean(m.reply_markup?.inline_keyboard?.flat().some((b) => b.text.startsWith("签到")));
    const signin = await sim.waitForBotMessage(group, signinButton, { timeout: 10_000 });
    const press = signin.reply_markup?.inline_keyboard?.flat().find((b) => b.text.startsWith("签到"))?.text ?? "签到 ✋";
    await sim.press(liming, signin, press);
    await sim.press(zhangfang, signin, press);
    last = sim.messages(group).at(-1);
    await sim.send(secretary, group, "/close_signin");
    await sim.waitForBotMessage(group, () => true, { after: last });

    // The secretary starts the bot (the menu button opens the console) and asks for the week's figures.
    await sim.startPrivate(secretary);
    last = sim.messages(group).at(-1);
    await sim.send(secretary, group, "/stats");
    await sim.waitForBotMessage(group, (m) => Boolean(m.text?.includes("成员")), { after: last, timeout: 10_000 });

    console.log("\n— the scene is over: 2 members studied the lesson (李明's second press was not counted twice) —");
    const county = sim.user({ first_name: "县委组织部", id: COUNTY_ID });
    const theme = { bg_color: "#ffffff", text_color: "#000000", hint_color: "#8e8e93", button_color: "#2481cc", button_text_color: "#ffffff", secondary_bg_color: "#f2f2f7" };
    console.log("\n— the organiser console, with the demo's data (initData signed by the simulator's token; valid for a day) —");
    console.log(`the group's secretary:  ${webAppLaunchUrl(`${publicUrl}/console/`, sim.webAppInitData(secretary), theme)}`);
    console.log(`the county organiser:   ${webAppLaunchUrl(`${publicUrl}/console/`, sim.webAppInitData(county), theme)}`);
    if (process.stdout.isTTY && process.env.DEMO_KEEP !== "0") {
      console.log("\nThe bot keeps serving the console; Ctrl-C ends the demo.");
      await new Promise<void>((resolve) => process.once("SIGINT", () => resolve()));
    }
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
