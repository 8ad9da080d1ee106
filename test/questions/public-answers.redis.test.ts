import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createQuestionsRepository, type Question } from "../../src/questions/index.js";
import { startRedis, type TestRedis } from "../support/redis-server.js";

let server: TestRedis;
let redis: Redis;

beforeAll(async () => {
  server = await startRedis();
  redis = new Redis(server.url, { protocol: 2 });
});

afterAll(async () => {
  redis?.disconnect();
  await server?.destroy();
});

describe("answers made public, per group", () => {
  it("follow their group to its supergroup id when it upgrades", async () => {
    const repo = createQuestionsRepository(redis);
    const from = -4711;
    const to = -1004711;
    const q: Question = {
      id: 1, chatId: from, messageId: 5, groupId: from, userId: 42, userName: "李明", track: "technology", text: "化肥用量怎么算？",
      locale: "zh", timeZone: "Asia/Shanghai", askedAt: 1, reminderHours: 24,
    };
    await repo.save(q);
    await repo.recordAnswer(q, { n: 1, expertId: 9, expertName: "张工", at: 2, excerpt: "每亩二十公斤" });
    expect(await repo.makePublic(1, 1, 3, { id: 1, n: 1, groupId: from, question: q.text, answer: "每亩二十公斤", at: 2 })).toBe(true);
    expect(await repo.makePublic(1, 1, 4, { id: 1, n: 1, groupId: from, question: q.text, answer: "每亩二十公斤", at: 2 })).toBe(false);
    await repo.moveGroup(from, to);
    await repo.moveGroup(from, to); // a repeated move changes nothing
    expect(await repo.publicAnswersOf(from)).toEqual([]);
    expect(await repo.publicAnswersOf(to)).toEqual([{ id: 1, n: 1, groupId: to, question: q.text, answer: "每亩二十公斤", at: 2 }]);
  });
});
