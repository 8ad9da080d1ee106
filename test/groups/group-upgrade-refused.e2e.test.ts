import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGroupMoveRepository } from "../../src/groups/index.js";
import { groupKey } from "../../src/shared/keys.js";
import { scanKeys } from "../../src/shared/redis.js";
import type { Simulator } from "../../tools/simulator/index.js";
import { manualClock, tickUntilIdle } from "../support/in-process.js";
import { startAppStage, type AppStage } from "../support/stage.js";
import { lessonsIn } from "../support/sim-groups.js";

// Monday 2026-11-30 20:00 in Shanghai is 12:00 UTC: the fixture's constitution slot, weekly.
const SLOT = Date.parse("2026-11-30T12:00:00Z");
const WEEK = 7 * 86_400_000;

let stage: AppStage;
let sim: Simulator;

beforeAll(async () => {
  stage = await startAppStage();
  sim = stage.sim;
});
afterAll(async () => {
  await stage?.close();
});

describe("a group upgraded while the bot missed the service messages", () => {
  it("the next scheduled lesson, refused with 400 migrate_to_chat_id, moves the group and goes to the supergroup; the old id is no longer scheduled", async () => {
    const clock = manualClock(SLOT - 3 * 86_400_000);
    // No bot process reads updates here: the two service messages of the upgrade are never handled.
    const app = await stage.app({ clock });
    const { services, redis } = app;
    try {
      const admin = sim.user({ first_name: "王书记" });
      const group = sim.group({ title: "红星村", type: "group", admins: [admin] });
      sim.addBot(group, { by: admin, asAdmin: true });
      await services.groups.register({ id: group.id, type: "group", title: "红星村" });
      await services.groups.update(group.id, { timeZone: "Asia/Shanghai", tracksOff: ["policy"] });

      clock.set(SLOT + 2000);
      await tickUntilIdle(services);
      expect(lessonsIn(sim, group).map((m) => m.text)).toEqual([expect.stringContaining("党员的义务")]);

      const supergroup = sim.upgradeToSupergroup(group, { by: admin });
      clock.set(SLOT + WEEK + 2000);
      await tickUntilIdle(services);

      // The track went on where it was (lesson 2, not lesson 1 again), in the supergroup.
      await sim.waitFor(() => lessonsIn(sim, supergroup).length === 1, { timeout: 10_000 });
      expect(lessonsIn(sim, supergroup)[0]?.text).toContain("支部生活");
      expect(lessonsIn(sim, group)).toHaveLength(1);
      expect(await createGroupMoveRepository(redis).movedTo(group.id)).toBe(supergroup.id);
      expect(await services.groups.activeIds()).toEqual([supergroup.id]);
      expect((await services.groups.get(supergroup.id))?.tracksOff).toEqual(["policy"]);

      // A week later only the supergroup's slot is claimed; nothing is tried for the old id.
      const before = sim.calls.length;
      clock.set(SLOT + 2 * WEEK + 2000);
      await tickUntilIdle(services);
      const claims = await scanKeys(redis, `${groupKey(supergroup.id, "slot")}:*`);
      expect(claims.filter((k) => k.endsWith(`:${SLOT + 2 * WEEK}`))).toHaveLength(1);
      expect(await scanKeys(redis, `${groupKey(group.id)}:*`)).toEqual([]);
      expect(sim.calls.slice(before).filter((c) => Number(c.params["chat_id"]) === group.id)).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it("a direct request to the old id (not an outbox job) moves the group and is answered from the supergroup", async () => {
    const app = await stage.app();
    try {
      const { services, redis } = app;
      const admin = sim.user({ first_name: "张主任" });
      const group = sim.group({ title: "东街村", type: "group", admins: [admin] });
      sim.addBot(group, { by: admin, asAdmin: true });
      await services.groups.register({ id: group.id, type: "group", title: "东街村" });
      const supergroup = sim.upgradeToSupergroup(group, { by: admin });

      expect(await services.groups.isOrganiser(group.id, admin.id)).toBe(true);

      const asked = sim.calls.filter((c) => c.method === "getChatMember").map((c) => [Number(c.params["chat_id"]), c.ok]);
      expect(asked.slice(-2)).toEqual([[group.id, false], [supergroup.id, true]]);
      expect(await createGroupMoveRepository(redis).movedTo(group.id)).toBe(supergroup.id);
      expect((await services.groups.get(supergroup.id))?.title).toBe("东街村");
    } finally {
      await app.close();
    }
  });
});
