import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { startStage, type Stage } from "../support/scene.js";
import type { SimChat, SimMessage, SimUser } from "../../tools/simulator/index.js";

/*
 * A poll answer reads its poll's record once: the dispatcher's ownership check hands the record it
 * read to the owner's handler (issue 11: a quiz answer read it twice, a survey vote three times).
 * Counted with MONITOR on the real Redis, around answers to the real bot process.
 */
let stage: Stage;
let admin: SimUser;
let li: SimUser;
let group: SimChat;
let monitor: Redis;
const seen: string[] = [];

async function command(text: string, match: (m: SimMessage) => boolean): Promise<SimMessage> {
  const before = stage.sim.messages(group).at(-1);
  await stage.sim.send(admin, group, text);
  return stage.sim.waitForBotMessage(group, match, { after: before });
}

/** GETs of poll records MONITOR saw while `work` ran and until `done` held. */
async function pollReads(work: () => void, done: () => boolean): Promise<string[]> {
  const from = seen.length;
  work();
  await stage.sim.waitFor(done, { message: "the answer handled" });
  return seen.slice(from).filter((line) => /"get" "sx:(quiz|surveys):poll:/i.test(line));
}

beforeAll(async () => {
  stage = await startStage();
  admin = stage.sim.user({ first_name: "王书记" });
  li = stage.sim.user({ first_name: "李明" });
  group = stage.sim.group({ title: "红星村学习群", admins: [admin], members: [li] });
  stage.sim.addBot(group, { by: admin, asAdmin: true });
  await stage.sim.waitForBotMessage(group, (m) => (m.text ?? "").includes("三学助手"));
  monitor = new Redis(stage.redis.url, { protocol: 2 });
  const m = await monitor.monitor();
  m.on("monitor", (_time: string, args: string[]) => seen.push(args.map((a) => JSON.stringify(a)).join(" ")));
});

afterAll(async () => {
  monitor?.disconnect();
  await stage?.close();
});

describe("a poll answer reads its poll once", () => {
  it("a quiz answer: one GET of the quiz poll's record", async () => {
    const lesson = await command("/push technology", (m) => Boolean(m.reply_markup));
    await stage.sim.press(li, lesson, "已学习 ✓");
    const poll = await command("/quiz technology", (m) => Boolean(m.poll));
    const recorded = () => stage.bot.logs.filter((l) => l.includes('"msg":"quiz answer recorded"')).length;
    const reads = await pollReads(() => void stage.sim.answerPoll(li, poll, [0]), () => recorded() === 1);
    expect(reads.filter((l) => l.includes(poll.poll?.id ?? "?"))).toHaveLength(1);
  });

  it("a survey vote: one GET of the survey poll's record (and one of the quiz polls', which it is not)", async () => {
    await command("/survey needs", (m) => Boolean(m.poll));
    await stage.sim.waitFor(() => stage.sim.botMessages(group).filter((m) => m.poll && m.poll.type === "regular").length >= 2, { message: "survey polls" });
    const poll = stage.sim.botMessages(group).find((m) => m.poll?.type === "regular") as SimMessage;
    const id = poll.poll?.id ?? "?";
    const voted = () => seen.some((l) => l.includes(":surveys:votes:"));
    const reads = await pollReads(() => void stage.sim.answerPoll(li, poll, [0]), voted);
    expect(reads.filter((l) => l.includes(`surveys:poll:${id}`))).toHaveLength(1);
    expect(reads.filter((l) => l.includes(`quiz:poll:${id}`))).toHaveLength(1);
  });
});
