import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GROUP_RECORD_MAX_AGE_MS } from "../../src/groups/groups.service.js";
import { createGroupsRepository } from "../../src/groups/groups.repository.js";
import { memberLocale } from "../../src/bot/create-bot.js";
import type { BotContext } from "../../src/shared/context.js";
import { groupsServiceFor } from "../support/groups-service.js";
import { startRedis, type TestRedis } from "../support/redis-server.js";

let server: TestRedis;
let redis: Redis;

beforeAll(async () => {
  server = await startRedis();
  redis = new Redis(server.url, { protocol: 2 });
});
afterAll(async () => {
  await redis?.quit();
  await server?.destroy();
});

/** GETs the server has run so far (INFO commandstats). */
async function getCalls(): Promise<number> {
  return Number(/cmdstat_get:calls=(\d+)/.exec(await redis.info("commandstats"))?.[1] ?? 0);
}

// One bot instance's groups service; registration and settings changes never call Telegram.
const service = () => groupsServiceFor(redis);

describe("a group's record", () => {
  it("reads made while one is in flight share it; each reader gets its own copy; a read after a write sees it", async () => {
    const a = service();
    await a.register({ id: -1009, type: "supergroup", title: "同读村" });
    const before = await getCalls();
    const reads = await Promise.all(Array.from({ length: 50 }, () => a.get(-1009)));
    expect((await getCalls()) - before).toBe(1);
    expect(new Set(reads).size).toBe(50); // not one shared object a reader could change under the others
    reads[0]!.title = "改了";
    expect(reads[1]?.title).toBe("同读村");
    // A read racing this process's write may see either; the one after the write sees the write.
    const racing = a.get(-1009);
    await a.update(-1009, { locale: "en" });
    await racing;
    expect((await a.get(-1009))?.locale).toBe("en");
    // And nothing is kept: a change through another instance (or straight in Redis) is seen at once.
    await service().update(-1009, { locale: "zh" });
    expect((await a.get(-1009))?.locale).toBe("zh");
    const raw = JSON.parse((await redis.get("sx:{g-1009}:group")) ?? "{}") as Record<string, unknown>;
    await redis.set("sx:{g-1009}:group", JSON.stringify({ ...raw, title: "直接改" }));
    expect((await a.get(-1009))?.title).toBe("直接改");
  });

  it("a press's read (getRecent) asks Redis once a second at most, each caller gets its own copy, and this instance's writes show at once", async () => {
    const a = service();
    await a.register({ id: -1010, type: "supergroup", title: "快读村" });
    await a.getRecent(-1010); // the first press reads it (a plain get keeps no copy)
    const before = await getCalls();
    const reads: Awaited<ReturnType<typeof a.getRecent>>[] = [];
    for (let i = 0; i < 200; i++) reads.push(await a.getRecent(-1010));
    expect((await getCalls()) - before).toBe(0);
    reads[0]!.title = "改了";
    expect((await a.getRecent(-1010))?.title).toBe("快读村");
    await a.update(-1010, { locale: "en" });
    expect((await a.getRecent(-1010))?.locale).toBe("en");
  });

  it("a press's read sees another instance's change, or one made straight in Redis, within a second", async () => {
    const a = service();
    await a.register({ id: -1011, type: "supergroup", title: "远改村" });
    expect((await a.getRecent(-1011))?.locale).toBe("zh");
    await service().update(-1011, { locale: "en" });
    const raw = JSON.parse((await redis.get("sx:{g-1011}:group")) ?? "{}") as Record<string, unknown>;
    await redis.set("sx:{g-1011}:group", JSON.stringify({ ...raw, title: "直接改" }));
    await new Promise((r) => setTimeout(r, GROUP_RECORD_MAX_AGE_MS + 50));
    expect(await a.getRecent(-1011)).toMatchObject({ locale: "en", title: "直接改" });
    // A plain read never answers from the copy.
    await redis.set("sx:{g-1011}:group", JSON.stringify({ ...raw, locale: "en", title: "又改" }));
    expect((await a.get(-1011))?.title).toBe("又改");
  });

  it("keeps every one of many settings changes made at the same moment by different instances", async () => {
    const a = service();
    const b = service();
    await a.register({ id: -1001, type: "supergroup", title: "并发村" });
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => [
        a.update(-1001, { locale: "en" }),
        b.update(-1001, { timeZone: "Europe/Berlin" }),
        a.update(-1001, { tracksOff: ["policy"] }),
        b.update(-1001, { topicId: 40 + i }),
        a.update(-1001, { title: "并发村 2" }),
      ]).flat(),
    );
    const g = await a.get(-1001);
    expect(g).toMatchObject({ locale: "en", timeZone: "Europe/Berlin", tracksOff: ["policy"], title: "并发村 2", active: true });
    expect(g?.topicId).toBeGreaterThanOrEqual(40);
  });

  it("deactivating and changing at once leaves it inactive, out of the active index, with the change", async () => {
    const a = service();
    const b = service();
    await a.register({ id: -1002, type: "supergroup", title: "退出村" });
    await Promise.all([a.deactivate(-1002), b.update(-1002, { locale: "en" })]);
    expect(await a.get(-1002)).toMatchObject({ active: false, locale: "en" });
    expect(await a.activeIds()).not.toContain(-1002);
  });

  it("an update of a group never seen changes nothing", async () => {
    expect(await service().update(-999, { locale: "en" })).toBeUndefined();
    expect(await redis.exists("sx:{g-999}:group")).toBe(0);
  });
});

describe("the group an update happened in", () => {
  it("a press's locale is chosen from the recent copy (no Redis read per press); a message's from Redis", async () => {
    const a = service();
    await a.register({ id: -1020, type: "supergroup", title: "选语言村 <&>" });
    await a.update(-1020, { locale: "en" });
    const locale = memberLocale(a);
    const chat = { id: -1020, type: "supergroup" as const, title: "选语言村 <&>" };
    // What the negotiation reads of an update; the rest of the context is not touched.
    const press = () => ({ chat, callbackQuery: { id: "q", data: "si:1" } }) as unknown as BotContext;
    expect(await locale(press())).toBe("en");
    const before = await getCalls();
    for (let i = 0; i < 50; i++) expect(await locale(press())).toBe("en");
    expect((await getCalls()) - before).toBe(0);
    const message = { chat, message: { text: "/stats" } } as unknown as BotContext;
    expect(await locale(message)).toBe("en");
    expect((await getCalls()) - before).toBe(1);
    expect(message.group?.title).toBe("选语言村 <&>");
  });
});

describe("the in-process copies of group records", () => {
  it("a sweep of every group (as the scheduler's) keeps none; the hot path's reads are kept, at most 2,000 and never for long", async () => {
    const repo = createGroupsRepository(redis);
    const ids = Array.from({ length: 2100 }, (_, i) => -1_009_500_000 - i);
    await Promise.all(ids.map((id) => redis.set(`sx:{g${id}}:group`, JSON.stringify({ id, title: `村${-id}` }))));
    for (const id of ids) expect((await repo.get(id))?.id).toBe(id);
    expect(repo.recentSize()).toBe(0);
    for (const id of ids) expect((await repo.recentRecord(id, 1000))?.id).toBe(id);
    expect(repo.recentSize()).toBe(2000);
    // The newest are the ones kept: a read of one of them asks Redis nothing.
    const before = await getCalls();
    expect((await repo.recentRecord(ids.at(-1) ?? 0, 60_000))?.id).toBe(ids.at(-1));
    expect(await getCalls()).toBe(before);
  });
});
