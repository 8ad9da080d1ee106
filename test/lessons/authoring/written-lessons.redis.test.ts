import { Redis } from "ioredis";
import { beforeEach, describe, expect, it } from "vitest";
import { loadCurriculum, type Curriculum } from "../../../src/content/index.js";
import { createAuthoringRepository } from "../../../src/lessons/authoring/authoring.repository.js";
import type { WrittenLesson } from "../../../src/lessons/authoring/authoring.types.js";
import { createWrittenLessons } from "../../../src/lessons/authoring/written-lessons.js";
import { captureLog } from "../../support/log-capture.js";
import { redisForFile } from "../../support/redis-server.js";
import { FIXTURE_CONTENT } from "../../support/scene.js";

const fileRedis = redisForFile();
let redis: Redis;

const written = (over: Partial<WrittenLesson>): WrittenLesson => ({
  id: "w-test1",
  track: "technology",
  title: "果树修剪",
  order: 3,
  html: "<b>剪</b>枝",
  text: "剪枝",
  media: [{ kind: "photo", fileId: "AgAD-photo" }],
  quiz: [{ question: "何时剪？", options: ["冬季", "夏季"], answer: 0 }],
  authorId: 7,
  publishedAt: 1,
  ...over,
});

beforeEach(async () => {
  redis = fileRedis.redis();
  await redis.flushdb();
});

/** A fresh instance's view: the fixture curriculum and its written lessons from Redis. */
async function instance(logger = captureLog().log): Promise<{ curriculum: Curriculum; sync: () => Promise<void> }> {
  const curriculum = await loadCurriculum(FIXTURE_CONTENT);
  const store = createWrittenLessons(createAuthoringRepository(redis), curriculum, logger);
  return { curriculum, sync: store.sync };
}

describe("written lessons in Redis", () => {
  it("join the curriculum in their track's order, media by file id, body as stored HTML; a second instance sees a change once the version moves", async () => {
    const a = await instance();
    const b = await instance();
    await a.sync();
    await b.sync();
    await createAuthoringRepository(redis).save(written({}));
    await a.sync();
    expect(a.curriculum.byTrack.technology.map((l) => l.id)).toEqual(["technology-01", "technology-02", "w-test1"]);
    expect(a.curriculum.byId.get("w-test1")).toMatchObject({ html: "<b>剪</b>枝", media: [{ kind: "photo", fileId: "AgAD-photo", path: "", field: "image" }] });
    expect(b.curriculum.byId.has("w-test1")).toBe(false);
    await b.sync();
    expect(b.curriculum.byId.has("w-test1")).toBe(true);
    expect(b.curriculum.lessons).toContain(b.curriculum.byId.get("w-test1"));
  });

  it("a removed lesson leaves its track but stays known by id", async () => {
    const a = await instance();
    await createAuthoringRepository(redis).save(written({ removed: true }));
    await a.sync();
    expect(a.curriculum.byTrack.technology.map((l) => l.id)).toEqual(["technology-01", "technology-02"]);
    expect(a.curriculum.byId.get("w-test1")?.title).toBe("果树修剪");
  });

  it("a lesson file with the same id wins, with a warning; a stored lesson that fails the schema is left out", async () => {
    const capture = captureLog({ level: "warn" });
    const a = await instance(capture.log);
    const repo = createAuthoringRepository(redis);
    await repo.save(written({ id: "technology-01", title: "冒名" }));
    await repo.save(written({ id: "w-bad", quiz: [{ question: "?", options: ["一"], answer: 3 }] }));
    await a.sync();
    expect(a.curriculum.byId.get("technology-01")?.title).not.toBe("冒名");
    expect(a.curriculum.byId.has("w-bad")).toBe(false);
    await capture.written(2);
    expect(capture.lines.some((l) => l.includes("technology-01") && l.includes("the file's lesson is used"))).toBe(true);
    expect(capture.lines.some((l) => l.includes("w-bad") && l.includes("failed the lesson checks"))).toBe(true);
  });

  it("a draft survives a restart: another connection reads it back", async () => {
    const repo = createAuthoringRepository(redis);
    await repo.saveDraft(7, { id: "w-d", step: "title", county: true, groups: [], track: "policy", groupId: null, media: [], quiz: [] });
    const other = new Redis(fileRedis.server().url, { protocol: 2 });
    try {
      expect(await createAuthoringRepository(other).draft(7)).toMatchObject({ id: "w-d", step: "title", track: "policy" });
      expect(await redis.ttl("sx:{u7}:authoring:draft")).toBeGreaterThan(0);
    } finally {
      await other.quit();
    }
  });
});
