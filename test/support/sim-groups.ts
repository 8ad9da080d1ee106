import type { SimChat, SimMessage, Simulator } from "../../tools/simulator/index.js";

/** A supergroup with its own administrator, the bot added as an administrator. */
export function groupWithBot(sim: Simulator, title: string): SimChat {
  const admin = sim.user({ first_name: `${title}管理员` });
  const group = sim.group({ title, type: "supergroup", admins: [admin] });
  sim.addBot(group, { by: admin, asAdmin: true });
  return group;
}

/** The bot's messages in a chat that carry buttons: the lessons (their last part). */
export function lessonsIn(sim: Simulator, chat: SimChat): SimMessage[] {
  return sim.botMessages(chat).filter((m) => Boolean(m.reply_markup?.inline_keyboard?.length));
}
