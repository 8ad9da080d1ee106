import { startStage, type Stage } from "../support/scene.js";
import { freePort } from "../support/redis-server.js";
import type { SimChat, SimMessage, SimUser } from "../../tools/simulator/index.js";

export const COUNTY_ID = 900_101;
export const withButtons = (m: SimMessage) => Boolean(m.reply_markup?.inline_keyboard?.length);

export interface ConsoleWeek {
  stage: Stage;
  /** The console's base, `http://127.0.0.1:<port>` (PUBLIC_URL). */
  base: string;
  admin: SimUser;
  li: SimUser;
  zhang: SimUser;
  zhao: SimUser;
  county: SimUser;
  group: SimChat;
  other: SimChat;
  ask(user: SimUser, chat: SimChat, text: string, match?: (m: SimMessage) => boolean): Promise<SimMessage>;
}

/**
 * The bot with the console on (PUBLIC_URL, PORT) and a scripted week: two lessons pushed in 红星村学习群; 李明 studies both,
 * 张<script>三 the first, 赵四 only joins; a second group, 青山社区, does nothing. The organiser has started the bot.
 */
export async function playConsoleWeek(): Promise<ConsoleWeek> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const stage = await startStage({ env: { ORGANIZER_IDS: String(COUNTY_ID), PUBLIC_URL: base, PORT: String(port) } });
  const ask = async (user: SimUser, chat: SimChat, text: string, match: (m: SimMessage) => boolean = () => true) => {
    const before = stage.sim.messages(chat).at(-1);
    await stage.sim.send(user, chat, text);
    return stage.sim.waitForBotMessage(chat, match, { after: before, timeout: 15_000 });
  };
  const admin = stage.sim.user({ first_name: "王书记" });
  const li = stage.sim.user({ first_name: "李明" });
  const zhang = stage.sim.user({ first_name: "张<script>三" });
  const zhao = stage.sim.user({ first_name: "赵四" });
  const county = stage.sim.user({ first_name: "县委组织部", id: COUNTY_ID });
  const group = stage.sim.group({ title: "红星村学习群", admins: [admin], members: [li, zhang, zhao] });
  stage.sim.addBot(group, { by: admin, asAdmin: true });
  await stage.sim.waitForBotMessage(group, (m) => (m.text ?? "").includes("三学助手"));
  const seeds = await ask(admin, group, "/push technology", withButtons);
  const duties = await ask(admin, group, "/push constitution", withButtons);
  await stage.sim.press(li, seeds, "已学习 ✓");
  await stage.sim.press(li, duties, "已学习 ✓");
  await stage.sim.press(zhang, seeds, "已学习 ✓");
  await ask(zhao, group, "/join");
  const admin2 = stage.sim.user({ first_name: "周支书" });
  const other = stage.sim.group({ title: "青山社区", admins: [admin2], members: [] });
  stage.sim.addBot(other, { by: admin2, asAdmin: true });
  await stage.sim.waitForBotMessage(other, (m) => (m.text ?? "").includes("三学助手"));
  await stage.sim.startPrivate(admin);
  await stage.sim.waitForBotMessage(stage.sim.privateChat(admin));
  return { stage, base, admin, li, zhang, zhao, county, group, other, ask };
}
