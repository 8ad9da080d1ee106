import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStage, type Stage } from "../support/scene.js";
import type { SimChat, SimMessage, SimUser } from "../../tools/simulator/index.js";

let stage: Stage;
let admin: SimUser;
let members: SimUser[];
let group: SimChat;

async function ask(from: SimUser, text: string, match: (m: SimMessage) => boolean = () => true): Promise<SimMessage> {
  const before = stage.sim.messages(group).at(-1);
  await stage.sim.send(from, group, text);
  return stage.sim.waitForBotMessage(group, match, { after: before });
}

/** Asks for the results until they show `expected`: votes are handled apart from commands, in their own time. */
async function resultsShowing(expected: string[]): Promise<string> {
  let last = "";
  for (let attempt = 0; attempt < 50; attempt++) {
    last = (await ask(admin, "/survey results")).text ?? "";
    if (expected.every((e) => last.includes(e))) return last;
  }
  throw new Error(`results never showed ${expected.join(" / ")}; last:\n${last}`);
}

beforeAll(async () => {
  stage = await startStage();
  admin = stage.sim.user({ first_name: "王书记" });
  members = ["李明", "张华", "刘芳"].map((first_name) => stage.sim.user({ first_name }));
  group = stage.sim.group({ title: "红星村学习群", admins: [admin], members });
  stage.sim.addBot(group, { by: admin, asAdmin: true });
  await stage.sim.waitForBotMessage(group, (m) => (m.text ?? "").includes("三学助手"));
});

afterAll(async () => {
  await stage?.close();
});

describe("surveys end to end", () => {
  it("/survey alone lists the surveys; an unknown name gets the list; a member is refused", async () => {
    const list = await ask(admin, "/survey");
    expect(list.text).toContain("needs");
    expect(list.text).toContain("satisfaction");
    const unknown = await ask(admin, "/survey <b>fun</b>");
    expect(unknown.text).toContain("<b>fun</b>");
    expect(unknown.text).toContain("satisfaction");
    expect((await ask(members[0]!, "/survey needs")).text).toContain("管理员");
    expect(stage.sim.botMessages(group).some((m) => m.poll)).toBe(false);
    expect((await ask(admin, "/survey results")).text).toContain("还没有发起过调查");
  });

  it("/survey needs posts a title and non-anonymous regular polls; votes are counted in /survey results", async () => {
    const title = await ask(admin, "/survey needs", (m) => (m.text ?? "").includes("学习需求调查"));
    const polls = await stage.sim.waitFor(() => {
      const found = stage.sim.botMessages(group).filter((m) => m.poll && m.message_id > title.message_id);
      return found.length === 2 ? found : undefined;
    });
    const [what, when] = polls.map((m) => m.poll!);
    expect(what?.is_anonymous).toBe(false);
    expect(what?.type).toBe("regular");
    expect(what?.allows_multiple_answers).toBe(true);
    expect(when?.allows_multiple_answers).toBe(false);

    const [a, b, c] = members as [SimUser, SimUser, SimUser];
    await stage.sim.answerPoll(a, polls[0]!, [0, 2]);
    await stage.sim.answerPoll(b, polls[0]!, [2]);
    await stage.sim.answerPoll(c, polls[0]!, [1]);
    await stage.sim.answerPoll(c, polls[0]!, []); // retracted
    await stage.sim.answerPoll(a, polls[1]!, [0]);
    await stage.sim.answerPoll(a, polls[1]!, [1]); // changed
    await stage.sim.answerPoll(b, polls[1]!, [1]);

    const text = await resultsShowing(["（2 人作答）\n　党章党规：1\n　政策理论：0\n　种植技术：2", "　早上：0\n　晚上：2"]);
    expect(text).toContain("学习需求调查");
  });

  it("a later change of vote is reflected, and votes never make the bot talk in the group", async () => {
    const before = stage.sim.messages(group).at(-1);
    await stage.sim.answerPoll(members[0]!, stage.sim.botMessages(group).filter((m) => m.poll)[0]!, [1]);
    const text = await resultsShowing(["党章党规：0", "政策理论：1"]);
    expect(text).toContain("种植技术：1");
    // Only the results replies were posted since: a vote never makes the bot talk in the group.
    expect(stage.sim.botMessages(group).filter((m) => m.message_id > (before?.message_id ?? 0)).every((m) => (m.text ?? "").includes("结果"))).toBe(true);
  });

  it("/survey needs 3d says when it closes by itself; a deadline that is none posts nothing", async () => {
    const polls = () => stage.sim.botMessages(group).filter((m) => m.poll).length;
    const before = polls();
    expect((await ask(admin, "/survey needs soon")).text).toContain("用法：/survey 调查名 [期限]");
    expect((await ask(admin, "/survey needs 90d")).text).toContain("1 小时到 30 天");
    expect(polls()).toBe(before);
    const closes = await ask(admin, "/survey needs 3d", (m) => (m.text ?? "").includes("自动结束"));
    expect(closes.text).toMatch(/调查将于 .+ 自动结束/);
    expect(polls()).toBe(before + 2);
  });
});
