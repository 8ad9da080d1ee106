import type { MessageEntity } from "grammy/types";
import type { SimMessage, SimUser, Simulator } from "../../tools/simulator/index.js";

/** The text test for a bot message. */
export const has = (text: string) => (m: SimMessage) => (m.text ?? "").includes(text);

/** Driving `/newlesson` in an author's private chat, as the author's phone does. */
export function authoringSteps(sim: Simulator) {
  const dm = (u: SimUser) => sim.privateChat(u);

  /** Does `act`, then waits for the bot's message in the author's chat that `match` finds. */
  async function step(author: SimUser, act: () => Promise<unknown>, match: (m: SimMessage) => boolean): Promise<SimMessage> {
    const before = sim.messages(dm(author)).at(-1);
    await act();
    return sim.waitForBotMessage(dm(author), match, { after: before, timeout: 15_000 });
  }

  const lastFromBot = (author: SimUser): SimMessage => {
    const m = sim.botMessages(dm(author)).at(-1);
    if (!m) throw new Error("no bot message");
    return m;
  };

  /** Writes a lesson through the whole conversation: track, audience, title, body, extras; leaves it at the preview. */
  async function writeLesson(author: SimUser, opts: { audience: string; title: string; body: string; entities?: MessageEntity[]; extras?: () => Promise<void> }): Promise<void> {
    await step(author, () => sim.send(author, dm(author), "/newlesson"), has("属于哪个学习方向"));
    await step(author, () => sim.press(author, lastFromBot(author), "wl:t:constitution"), has("发给谁"));
    await step(author, () => sim.press(author, lastFromBot(author), opts.audience), has("课程标题"));
    await step(author, () => sim.send(author, dm(author), opts.title), has("课程正文"));
    await step(author, () => sim.send(author, dm(author), opts.body, { entities: opts.entities }), has("现在可以发送图片"));
    await opts.extras?.();
  }

  /** From the end of `writeLesson`: Preview, then Publish. */
  async function previewAndPublish(author: SimUser): Promise<void> {
    const preview = await step(author, () => sim.press(author, lastFromBot(author), "预览"), has("以上是预览"));
    await step(author, () => sim.press(author, preview, "发布"), has("已发布"));
  }

  return { dm, step, lastFromBot, writeLesson, previewAndPublish };
}
