import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulator } from "../../tools/simulator/index.js";
import { lessonRef } from "../../src/lessons/index.js";
import { weekIdAt } from "../../src/shared/week.js";
import { manualClock } from "../support/in-process.js";
import { startAppStage, type AppStage } from "../support/stage.js";

let stage: AppStage;
let sim: Simulator;

beforeAll(async () => {
  stage = await startAppStage();
  sim = stage.sim;
});
afterAll(async () => {
  await stage?.close();
});

describe("Studied on a real Redis", () => {
  it("fifty simultaneous presses of one member count once; fifty members count fifty", async () => {
    const clock = manualClock(Date.parse("2026-12-01T02:00:00Z"));
    const app = await stage.app({ clock });
    const admin = sim.user({ first_name: "管理员" });
    const chat = sim.group({ title: "九村", type: "supergroup", admins: [admin] });
    sim.addBot(chat, { by: admin, asAdmin: true });
    const { group } = await app.services.groups.register({ id: chat.id, type: "supergroup", title: "九村" });
    const pushed = await app.services.lessons.pushNext(group, "technology");
    expect(pushed.kind).toBe("pushed");
    const ref = lessonRef("technology-01");

    const same = await Promise.all(Array.from({ length: 50 }, () => app.services.lessons.markStudied(group, 1001, ref)));
    expect(same.filter((r) => r.kind === "counted").length).toBe(1);
    expect(same.filter((r) => r.kind === "already").length).toBe(49);

    const many = await Promise.all(Array.from({ length: 50 }, (_, i) => app.services.lessons.markStudied(group, 2000 + i, ref)));
    expect(many.every((r) => r.kind === "counted")).toBe(true);

    const week = await app.services.activity.week(group.id, weekIdAt(clock.now(), group.timeZone));
    expect(week.get(1001)?.lessons_studied).toBe(1);
    expect([...week.values()].reduce((n, row) => n + (row.lessons_studied ?? 0), 0)).toBe(51);
    expect(await app.services.lessons.studiedCount(group.id, "technology-01")).toBe(51);
    await app.close();
  });

  it("a Studied press is one round trip: the push check and the ledger entry in one script", async () => {
    const clock = manualClock(Date.parse("2026-12-01T02:00:00Z"));
    const app = await stage.app({ clock });
    const admin = sim.user({ first_name: "管理员" });
    const chat = sim.group({ title: "八村", type: "supergroup", admins: [admin] });
    sim.addBot(chat, { by: admin, asAdmin: true });
    const { group } = await app.services.groups.register({ id: chat.id, type: "supergroup", title: "八村" });
    expect((await app.services.lessons.pushNext(group, "technology")).kind).toBe("pushed");
    const monitor = await new Redis(stage.redis.url, { protocol: 2 }).monitor();
    const sent: string[][] = [];
    // Commands from clients, not those a script runs inside (source "lua").
    monitor.on("monitor", (_time: string, args: string[], source: string) => void (source !== "lua" && sent.push(args.map(String))));
    try {
      await new Promise((r) => setTimeout(r, 200)); // the push's own commands have passed
      sent.length = 0;
      expect((await app.services.lessons.markStudied(group, 3003, lessonRef("technology-01"))).kind).toBe("counted");
      await new Promise((r) => setTimeout(r, 200));
      const mine = sent.filter((args) => args.some((a) => a.includes(`{g${group.id}}`)));
      expect(mine).toHaveLength(1);
      expect(mine[0]?.[0]?.toLowerCase()).toBe("evalsha");
      expect(mine[0]).toContain(`sx:{g${group.id}}:all`);
    } finally {
      monitor.disconnect();
    }
    expect(await app.services.lessons.hasStudied(group.id, "technology-01", 3003)).toBe(true);
    await app.close();
  });

  it("a press for a lesson never pushed to the group counts nothing", async () => {
    const clock = manualClock(Date.parse("2026-12-01T02:00:00Z"));
    const app = await stage.app({ clock });
    const admin = sim.user({ first_name: "管理员" });
    const chat = sim.group({ title: "十村", type: "supergroup", admins: [admin] });
    sim.addBot(chat, { by: admin, asAdmin: true });
    const { group } = await app.services.groups.register({ id: chat.id, type: "supergroup", title: "十村" });
    expect((await app.services.lessons.markStudied(group, 1, lessonRef("policy-01"))).kind).toBe("stale");
    expect((await app.services.lessons.markStudied(group, 1, "nonsense")).kind).toBe("stale");
    expect((await app.services.activity.allTime(group.id)).size).toBe(0);
    await app.close();
  });
});
