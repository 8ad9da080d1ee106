import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimChat, Simulator } from "../../tools/simulator/index.js";
import type { TestRedis } from "../support/redis-server.js";
import { drained, manualClock } from "../support/in-process.js";
import { startAppStage, type AppStage } from "../support/stage.js";
import { groupWithBot, lessonsIn as lessonsInChat } from "../support/sim-groups.js";
import pino from "pino";
import { createScheduleRepository, createScheduler } from "../../src/schedule/index.js";
import { lessonSlots } from "../../src/lessons/index.js";
import { waitFor } from "../support/wait-for.js";

// Monday 2026-11-30 20:00 in Shanghai is 12:00 UTC: the fixture's constitution slot.
const SLOT = Date.parse("2026-11-30T12:00:00Z");
const BEFORE = SLOT - 3 * 86_400_000;

let stage: AppStage;
let sim: Simulator;
let redis: TestRedis;

beforeAll(async () => {
  stage = await startAppStage();
  ({ sim, redis } = stage);
});
afterAll(async () => {
  await stage?.close();
});

const newGroup = async (title: string): Promise<SimChat> => groupWithBot(sim, title);
const lessonsIn = (group: SimChat) => lessonsInChat(sim, group);

/** Scheduled pushes are outbox jobs: wait until none is left. */

describe("scheduled pushes", () => {
  it("two schedulers racing push each group's slot exactly once", async () => {
    const clock = manualClock(BEFORE);
    const a = await stage.app({ clock, instanceId: "a" });
    const b = await stage.app({ clock, instanceId: "b" });
    const groups = await Promise.all(["一村", "二村", "三村", "四村", "五村"].map(newGroup));
    for (const g of groups) await a.services.groups.register({ id: g.id, type: "supergroup", title: g.title ?? "" });

    clock.set(SLOT + 2000);
    const results = await Promise.all([a.services.scheduler.tick(), b.services.scheduler.tick(), a.services.scheduler.tick(), b.services.scheduler.tick()]);
    expect(results.reduce((n, r) => n + r.slots, 0)).toBe(groups.length);
    await drained(a.services);
    for (const g of groups) {
      expect(lessonsIn(g).length).toBe(1);
      expect(lessonsIn(g)[0]?.text).toContain("党员的义务");
    }
    // Later ticks in the same slot change nothing.
    clock.advance(60_000);
    await Promise.all([a.services.scheduler.tick(), b.services.scheduler.tick()]);
    await drained(a.services);
    for (const g of groups) expect(lessonsIn(g).length).toBe(1);
    await a.close();
    await b.close();
  });

  it("a slot missed while the bot was down is pushed once when it comes back within the grace window", async () => {
    const clock = manualClock(BEFORE);
    const first = await stage.app({ clock, instanceId: "first" });
    const group = await newGroup("六村");
    await first.services.groups.register({ id: group.id, type: "supergroup", title: "六村" });
    await first.close(); // down over the slot

    clock.set(SLOT + 90 * 60_000); // back 90 minutes later
    const again = await stage.app({ clock, instanceId: "again" });
    await again.services.scheduler.tick();
    await again.services.scheduler.tick();
    await drained(again.services);
    expect(lessonsIn(group).length).toBe(1);
    await again.close();
  });

  it("a slot missed by more than the grace window is not pushed late", async () => {
    const clock = manualClock(BEFORE);
    const svc = await stage.app({ clock, env: { CATCHUP_GRACE_MINUTES: "60" } });
    const group = await newGroup("七村");
    await svc.services.groups.register({ id: group.id, type: "supergroup", title: "七村" });
    clock.set(SLOT + 2 * 3600_000);
    await svc.services.scheduler.tick();
    await drained(svc.services);
    expect(lessonsIn(group).length).toBe(0);
    await svc.close();
  });

  it("a group added after the slot time does not get that slot", async () => {
    const clock = manualClock(SLOT + 60_000);
    const svc = await stage.app({ clock });
    const group = await newGroup("八村");
    await svc.services.groups.register({ id: group.id, type: "supergroup", title: "八村" });
    await svc.services.scheduler.tick();
    await drained(svc.services);
    expect(lessonsIn(group).length).toBe(0);
    await svc.close();
  });

  it("a slot claimed by an instance that died before enqueueing is enqueued by a later tick, exactly once", async () => {
    const clock = manualClock(BEFORE);
    // A database of its own: the groups of the tests above do not take part.
    const url = `${redis.url}/3`;
    const svc = await stage.app({ redisUrl: url, clock, instanceId: "survivor" });
    const group = await newGroup("九村");
    await svc.services.groups.register({ id: group.id, type: "supergroup", title: "九村" });

    // The instance that "crashes": it claims the slot, then never gets its enqueue through.
    let claimedBeforeCrash = 0;
    const doomed = createScheduler({
      repo: createScheduleRepository(svc.redis),
      activeGroups: () => svc.services.groups.activeGroups(),
      sources: [
        lessonSlots({
          enqueue: () => {
            claimedBeforeCrash++;
            return new Promise<void>(() => undefined);
          },
        }),
      ],
      timerHandlers: {},
      clock,
      logger: pino({ level: "silent" }),
      graceMs: 180 * 60_000,
      instanceId: "doomed",
    });
    clock.set(SLOT + 2000);
    void doomed.tick();
    await waitFor(() => claimedBeforeCrash > 0, { timeout: 2000, interval: 10, message: "the doomed instance's claim" });
    expect(claimedBeforeCrash).toBeGreaterThan(0);

    // While the dead instance's claim is fresh, nobody else pushes (it might be mid-enqueue).
    expect((await svc.services.scheduler.tick()).slots).toBe(0);
    // After the claim's lease the next tick takes it over; later ticks and a second instance add nothing.
    clock.advance(61_000);
    const other = await stage.app({ redisUrl: url, clock, instanceId: "other" });
    const fired = await Promise.all([svc.services.scheduler.tick(), other.services.scheduler.tick(), svc.services.scheduler.tick()]);
    expect(fired.reduce((n, r) => n + r.slots, 0)).toBe(1);
    await drained(svc.services);
    expect(lessonsIn(group)).toHaveLength(1);
    clock.advance(120_000);
    await Promise.all([svc.services.scheduler.tick(), other.services.scheduler.tick()]);
    await drained(svc.services);
    expect(lessonsIn(group)).toHaveLength(1);
    await other.close();
    await svc.close();
  });

  it("a slot whose enqueue failed (Redis blip) is tried again on the next tick", async () => {
    const clock = manualClock(BEFORE);
    const svc = await stage.app({ redisUrl: `${redis.url}/4`, clock, instanceId: "blip" });
    const group = await newGroup("十村");
    await svc.services.groups.register({ id: group.id, type: "supergroup", title: "十村" });
    const enqueued: string[] = [];
    let failNext = true;
    const scheduler = createScheduler({
      repo: createScheduleRepository(svc.redis),
      activeGroups: () => svc.services.groups.activeGroups(),
      sources: [lessonSlots({
        enqueue: async (_kind, id) => {
          if (failNext) {
            failNext = false;
            throw new Error("Connection is closed.");
          }
          enqueued.push(id);
        },
      })],
      timerHandlers: {},
      clock,
      logger: pino({ level: "silent" }),
      graceMs: 180 * 60_000,
      instanceId: "blip",
    });
    clock.set(SLOT + 2000);
    await scheduler.tick();
    expect(enqueued).toHaveLength(0);
    clock.advance(1000);
    await scheduler.tick();
    clock.advance(1000);
    await scheduler.tick();
    expect(enqueued).toEqual([`${group.id}-lesson:constitution:0-${SLOT}`]);
    await svc.close();
  });
});
