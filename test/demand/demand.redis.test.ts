import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectRedis, type Redis } from "../../src/shared/redis.js";
import { createLogger } from "../../src/shared/logger.js";
import { createLessonsRepository, type LessonsRepository } from "../../src/lessons/index.js";
import { createTrackOrder } from "../../src/lessons/track-order.js";
import { createDemandRepository, orderRemaining, type DemandRepository } from "../../src/demand/index.js";
import type { Curriculum, Lesson } from "../../src/content/types.js";
import { DEFAULT_SCHEDULE } from "../../src/content/schedule.schema.js";
import type { GroupInfo } from "../../src/groups/index.js";
import { startRedis, type TestRedis } from "../support/redis-server.js";

let server: TestRedis;
let redis: Redis;
let lessonsRepo: LessonsRepository;
let demand: DemandRepository;
const logger = createLogger({ level: "silent", secrets: [] });

const lesson = (n: number, topics: string[]): Lesson => ({
  id: `technology-0${n}`,
  track: "technology",
  media: [],
  title: `第${n}课`,
  order: n,
  audience: "all",
  quiz: [],
  topics,
  body: "正文",
  file: `lessons/technology/0${n}.md`,
});
const TRACK = [lesson(1, ["planting"]), lesson(2, ["greenhouse"]), lesson(3, ["e-commerce"]), lesson(4, ["livestock"]), lesson(5, [])];
const curriculum = {
  lessons: TRACK,
  byTrack: { constitution: [], policy: [], technology: TRACK },
  byId: new Map(TRACK.map((l) => [l.id, l])),
} as unknown as Curriculum; // the track order reads only these

let nextGroupId = -100_500;
function newGroup(): GroupInfo {
  const now = Date.now();
  return { id: nextGroupId--, title: "村", type: "supergroup", isForum: false, active: true, locale: "zh", timeZone: "Asia/Shanghai", registeredAt: now, tracksOff: [], schedule: DEFAULT_SCHEDULE, scheduleUpdatedAt: now };
}

/** The order the demand feature gives, read from its repository as the lessonOrder hook does. */
const byDemand = async (group: GroupInfo, _track: unknown, remaining: Lesson[]) => {
  const [needs, choices] = await Promise.all([demand.needs(group.id), demand.choices(group.id)]);
  return orderRemaining(remaining, { votes: needs?.votes ?? {}, ...choices });
};

/** Claims the next technology position and names its lesson, as a push does. */
async function claim(group: GroupInfo, order = createTrackOrder(lessonsRepo, curriculum, () => [byDemand])): Promise<string | undefined> {
  const index = await lessonsRepo.claimNext(group.id, "technology", TRACK.length);
  if (index < 0) return undefined;
  return (await order.lessonAt(group, "technology", index))?.id;
}

beforeAll(async () => {
  server = await startRedis();
  redis = await connectRedis(server.url, logger);
  lessonsRepo = createLessonsRepository(redis);
  demand = createDemandRepository(redis);
});

afterAll(async () => {
  await redis?.quit();
  await server?.destroy();
});

describe("a group's choices on a real Redis", () => {
  it("pins come most recent first; a skip undoes a pin and a pin undoes a skip; restore says whether there was anything", async () => {
    const g = newGroup();
    await demand.pin(g.id, "technology-04", 1000);
    await demand.pin(g.id, "technology-02", 2000);
    expect((await demand.choices(g.id)).pins).toEqual(["technology-02", "technology-04"]);
    await demand.skip(g.id, "technology-02");
    expect(await demand.choices(g.id)).toEqual({ pins: ["technology-04"], skips: ["technology-02"], reorder: true });
    await demand.pin(g.id, "technology-02", 3000);
    expect((await demand.choices(g.id)).skips).toEqual([]);
    expect(await demand.restore(g.id, "technology-02")).toBe(true);
    expect(await demand.restore(g.id, "technology-02")).toBe(false);
    await demand.setReorder(g.id, false);
    expect((await demand.choices(g.id)).reorder).toBe(false);
    await demand.setReorder(g.id, true);
    expect((await demand.choices(g.id)).reorder).toBe(true);
  });

  it("the needs of one group are its own", async () => {
    const [a, b] = [newGroup(), newGroup()];
    await demand.saveNeeds(a.id, { survey: "needs", runId: 1, closedAt: 5, voters: 3, votes: { "e-commerce": 3 } });
    expect((await demand.needs(a.id))?.votes).toEqual({ "e-commerce": 3 });
    expect(await demand.needs(b.id)).toBeUndefined();
  });
});

describe("a group's track order on a real Redis", () => {
  it("after the needs are saved the next position holds the most-wanted lesson, and the pushed ones stay", async () => {
    const g = newGroup();
    expect(await claim(g)).toBe("technology-01");
    await demand.saveNeeds(g.id, { survey: "needs", runId: 1, closedAt: 5, voters: 2, votes: { livestock: 2, "e-commerce": 1 } });
    expect(await claim(g)).toBe("technology-04");
    expect(await claim(g)).toBe("technology-03");
    const order = createTrackOrder(lessonsRepo, curriculum, () => [byDemand]);
    expect((await order.remaining(g.id, "technology")).map((l) => l.id)).toEqual(["technology-02", "technology-05"]);
    expect(await lessonsRepo.taken(g.id, "technology")).toEqual(new Map([[0, "technology-01"], [1, "technology-04"], [2, "technology-03"]]));
  });

  it("a retried delivery gets the lesson its position first named, even after the order changed", async () => {
    const g = newGroup();
    const order = createTrackOrder(lessonsRepo, curriculum, () => [byDemand]);
    const index = await lessonsRepo.claimFor(g.id, "technology", TRACK.length, "job-1");
    expect((await order.lessonAt(g, "technology", index))?.id).toBe("technology-01");
    await demand.pin(g.id, "technology-05", 1);
    const again = await lessonsRepo.claimFor(g.id, "technology", TRACK.length, "job-1");
    expect(again).toBe(index);
    expect((await order.lessonAt(g, "technology", again))?.id).toBe("technology-01");
    expect(await claim(g)).toBe("technology-05"); // the pin applies to the next position
  });

  it("a released position forgets its lesson; a skipped lesson is never named", async () => {
    const g = newGroup();
    await demand.skip(g.id, "technology-01");
    const order = createTrackOrder(lessonsRepo, curriculum, () => [byDemand]);
    const index = await lessonsRepo.claimNext(g.id, "technology", TRACK.length);
    expect((await order.lessonAt(g, "technology", index))?.id).toBe("technology-02");
    await lessonsRepo.release(g.id, "technology", index);
    expect(await lessonsRepo.taken(g.id, "technology")).toEqual(new Map());
    await demand.pin(g.id, "technology-03", 1);
    expect(await claim(g)).toBe("technology-03");
  });

  it("positions claimed before lessons were named keep the curriculum's lessons", async () => {
    const g = newGroup();
    await redis.hset(`sx:{g${g.id}}:lessons:pos`, "technology", "2"); // a group that got lessons 1 and 2 before this feature
    await demand.saveNeeds(g.id, { survey: "needs", runId: 1, closedAt: 5, voters: 1, votes: { greenhouse: 5, planting: 5 } });
    expect(await claim(g)).toBe("technology-03");
    const order = createTrackOrder(lessonsRepo, curriculum, () => [byDemand]);
    expect(await order.given(g.id, TRACK[1]!)).toBe(true);
    expect(await order.given(g.id, TRACK[3]!)).toBe(false);
  });

  it("twenty concurrent claims while the order keeps changing never name one lesson twice", async () => {
    const g = newGroup();
    let flip = 0;
    // Each caller sees a different order, as when an organiser pins while pushes run.
    const shuffled = createTrackOrder(lessonsRepo, curriculum, () => [async (_g, _t, remaining) => (flip++ % 2 ? [...remaining].reverse() : remaining)]);
    const names = await Promise.all(Array.from({ length: 20 }, () => claim(g, shuffled)));
    const named = names.filter((n): n is string => n !== undefined);
    expect(named.length).toBeGreaterThan(0);
    expect(new Set(named).size).toBe(named.length);
    const taken = [...(await lessonsRepo.taken(g.id, "technology")).values()];
    expect(new Set(taken).size).toBe(taken.length);
  });
});
