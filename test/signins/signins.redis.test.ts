import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createActivityRepository } from "../../src/activity/index.js";
import { DEFAULT_SCHEDULE } from "../../src/content/index.js";
import type { GroupInfo } from "../../src/groups/index.js";
import { createScheduleRepository, createScheduler } from "../../src/schedule/index.js";
import {
  CLOSE_TIMER_KIND,
  createSigninsRepository,
  createSigninsService,
  signinCloseTimer,
} from "../../src/signins/index.js";
import { createI18n, translatorOf } from "../../src/shared/i18n.js";
import { createLogger } from "../../src/shared/logger.js";
import { unpaced } from "../../src/shared/pacer.js";
import { connectRedis, type Redis } from "../../src/shared/redis.js";
import { weekIdAt } from "../../src/shared/week.js";
import { fakeApi, type SentText as Sent } from "../support/fake-api.js";
import { groupsServiceFor } from "../support/groups-service.js";
import { startRedis, type TestRedis } from "../support/redis-server.js";
import { waitFor } from "../support/wait-for.js";
import { Redis as Client } from "ioredis";

const MIN = 60_000;
const logger = createLogger({ level: "silent" });
const t = translatorOf(createI18n("zh", () => undefined));

let server: TestRedis;
let redis: Redis;

beforeAll(async () => {
  server = await startRedis();
  redis = await connectRedis(server.url, logger);
});

afterAll(async () => {
  await redis?.quit();
  await server?.destroy();
});

let nextGroup = -1001000;
let instances = 0;

/** One bot instance's worth of sign-in machinery over the shared Redis, with its own clock. */
function instance(
  clock: { now(): number },
  sent: Sent[] = [],
  editIntervalMs = 50,
  unchanged = false,
  deferPrivate = false,
) {
  const { api } = fakeApi({ sent, editsUnchanged: unchanged, deferPrivate });
  const groups = groupsServiceFor(redis, { api, clock, config: { defaultSchedule: { ...DEFAULT_SCHEDULE, signin_with_lesson: 0 } } });
  const activity = createActivityRepository(redis);
  const schedule = createScheduleRepository(redis);
  const signins = createSigninsService({
    repo: createSigninsRepository(redis),
    activity,
    groups,
    schedule,
    api,
    t,
    pacer: unpaced,
    clock,
    logger,
    instanceId: `instance-${++instances}`,
    editIntervalMs,
  });
  const scheduler = createScheduler({
    repo: schedule,
    activeGroups: async () => [],
    sources: [],
    timerHandlers: { [CLOSE_TIMER_KIND]: signinCloseTimer(signins) },
    clock,
    logger,
    graceMs: 0,
    instanceId: "test",
  });
  return { groups, activity, signins, scheduler, sent };
}

async function newGroup(inst: ReturnType<typeof instance>, members: number[] = []): Promise<GroupInfo> {
  const id = nextGroup--;
  const { group } = await inst.groups.register({ id, type: "supergroup", title: `学习群${-id}` });
  for (const uid of members)
    await inst.groups.touchMember(id, { id: uid, is_bot: false, first_name: `成员${uid}` });
  return group;
}

const signins = async (inst: ReturnType<typeof instance>, g: GroupInfo) => await inst.activity.allTime(g.id);

describe("sign-ins on a real Redis", () => {
  const clock = {
    at: Date.UTC(2026, 2, 2, 12),
    now() {
      return this.at;
    },
  };

  it("50 concurrent presses of the same member count once", async () => {
    const inst = instance(clock);
    const g = await newGroup(inst, [1]);
    const opened = await inst.signins.open(g, { minutes: 30, title: "周会", openedBy: 1 });
    expect(opened.kind).toBe("opened");
    const results = await Promise.all(
      Array.from({ length: 50 }, () => inst.signins.signIn(g, 7, opened.session.id)),
    );
    expect(results.filter((r) => r.kind === "signed-in")).toHaveLength(1);
    expect(results.filter((r) => r.kind === "already")).toHaveLength(49);
    expect((await signins(inst, g)).get(7)?.signins).toBe(1);
    const [week] = await inst.signins.sessionsOf(g.id, weekIdAt(clock.now(), g.timeZone));
    expect(week?.signed).toBe(1);
  });

  it("a press is one round trip: the sign-in script reads the session and writes the ledger itself", async () => {
    const inst = instance(clock);
    const g = await newGroup(inst);
    const { session } = await inst.signins.open(g, { minutes: 30, title: "周会", openedBy: 1 });
    const monitor = await new Client(server.url, { protocol: 2 }).monitor();
    const sent: string[][] = [];
    // Commands from clients, not those a script runs inside (source "lua").
    monitor.on("monitor", (_time: string, args: string[], source: string) => void (source !== "lua" && sent.push(args.map(String))));
    try {
      expect((await inst.signins.signIn(g, 4242, session.id)).kind).toBe("signed-in");
      await waitFor(() => sent.length >= 2, { message: "the press's commands seen" });
      const [press, next] = sent as [string[], string[]];
      expect(press[0]?.toLowerCase()).toBe("evalsha");
      expect(press).toContain(`sx:{g${g.id}}:all`); // the ledger's keys are the script's own
      // What follows is already the live count's edit claim (coalesced, outside the press's answer).
      expect(next.some((a) => a.endsWith(":edit-window"))).toBe(true);
    } finally {
      monitor.disconnect();
    }
    const week = await inst.activity.week(g.id, weekIdAt(clock.now(), g.timeZone));
    expect(week.get(4242)?.signins).toBe(1);
  });

  it("50 different members pressing at once all count", async () => {
    const inst = instance(clock);
    const g = await newGroup(inst);
    const { session } = await inst.signins.open(g, { minutes: 30, title: "周会", openedBy: 1 });
    await Promise.all(Array.from({ length: 50 }, (_, i) => inst.signins.signIn(g, 1000 + i, session.id)));
    const all = await signins(inst, g);
    expect([...all.values()].reduce((n, row) => n + (row.signins ?? 0), 0)).toBe(50);
    const [s] = await inst.signins.sessionsOf(g.id, weekIdAt(clock.now(), g.timeZone));
    expect(s?.signed).toBe(50);
  });

  it("a closed sign-in records nothing, and a forged or future session is refused", async () => {
    const inst = instance(clock);
    const g = await newGroup(inst, [1, 2]);
    const { session } = await inst.signins.open(g, { minutes: 30, title: "周会", openedBy: 1 });
    await inst.signins.signIn(g, 1, session.id);
    const closed = await inst.signins.closeOpen(g);
    expect(closed?.kind).toBe("closed");
    expect((await inst.signins.signIn(g, 2, session.id)).kind).toBe("closed");
    expect((await inst.signins.signInOpen(g, 2)).kind).toBe("none-open");
    expect((await inst.signins.signIn(g, 2, session.id + 1)).kind).toBe("unknown");
    expect((await inst.signins.signIn(g, 2, 999_999)).kind).toBe("unknown");
    expect((await signins(inst, g)).get(2)).toBeUndefined();
    expect(await inst.signins.closeOpen(g)).toBeUndefined();
  });

  it("a press after the deadline is closed even before the timer has run", async () => {
    const c = {
      at: clock.at,
      now() {
        return this.at;
      },
    };
    const inst = instance(c);
    const g = await newGroup(inst);
    const { session } = await inst.signins.open(g, { minutes: 1, title: "快签", openedBy: 1 });
    c.at += MIN;
    expect((await inst.signins.signIn(g, 3, session.id)).kind).toBe("closed");
  });

  it("only one session is open at a time", async () => {
    const inst = instance(clock);
    const g = await newGroup(inst);
    const first = await inst.signins.open(g, { minutes: 30, title: "第一次", openedBy: 1 });
    const second = await inst.signins.open(g, { minutes: 30, title: "第二次", openedBy: 1 });
    expect(second).toMatchObject({
      kind: "already-open",
      session: { id: first.session.id, title: "第一次" },
    });
  });

  it("closes on time after a restart: a new instance's scheduler closes it once", async () => {
    // Earlier than every other test's sessions, so no other timer is due in this test's ticks.
    const c = {
      at: clock.at - 10 * 24 * 3600_000,
      now() {
        return this.at;
      },
    };
    const before = instance(c);
    const g = await newGroup(before, [1, 2, 3]);
    const { session } = await before.signins.open(g, { minutes: 15, title: "重启测试", openedBy: 1 });
    await before.signins.signIn(g, 1, session.id);
    // "Restart": a fresh instance over the same Redis, its clock past the deadline.
    const sentAfter: Sent[] = [];
    const after = instance(c, sentAfter);
    c.at += 14 * MIN;
    expect((await after.scheduler.tick(c.now())).timers).toBe(0);
    c.at += MIN + 1;
    expect((await after.scheduler.tick(c.now())).timers).toBe(1);
    expect((await after.scheduler.tick(c.now())).timers).toBe(0);
    const final = sentAfter.find((s) => s.method === "editMessageText");
    expect(final?.text).toContain("签到已结束");
    expect(final?.text).toMatch(/已签到 <b>1<\/b> 人.*未签到 2 人/s);
    expect((await after.signins.signIn(g, 2, session.id)).kind).toBe("closed");
  });

  it("a closing cut short by a crash (closed, result never shown) is finished once when its timer comes back", async () => {
    // Earlier still than the restart test, so only this test's timer is due in these ticks.
    const c = {
      at: clock.at - 20 * 24 * 3600_000,
      now() {
        return this.at;
      },
    };
    const before = instance(c);
    const g = await newGroup(before, [1, 2, 3]);
    const { session } = await before.signins.open(g, { minutes: 15, title: "中断测试", openedBy: 1 });
    await before.signins.signIn(g, 1, session.id);
    // The organiser's /close_signin got as far as the atomic close, then the process died.
    c.at += 5 * MIN;
    expect(await createSigninsRepository(redis).close(g.id, session.id, c.now())).toBe("closed");

    const sentAfter: Sent[] = [];
    const after = instance(c, sentAfter);
    c.at += 10 * MIN + 1;
    expect((await after.scheduler.tick(c.now())).timers).toBe(1);
    const final = sentAfter.filter((s) => s.method === "editMessageText");
    expect(final).toHaveLength(1);
    expect(final[0]?.text).toMatch(/已签到 <b>1<\/b> 人.*未签到 2 人/s);
    expect((await after.signins.sessionsOf(g.id, weekIdAt(session.openedAt, g.timeZone)))[0]).toMatchObject({
      signed: 1,
    });
    // Finished: later ticks (and another close) change nothing.
    c.at += 3 * 3600_000;
    expect((await after.scheduler.tick(c.now())).timers).toBe(0);
    expect(await after.signins.closeOpen(g)).toBeUndefined();
    expect(sentAfter.filter((s) => s.method === "editMessageText")).toHaveLength(1);
  });

  it("a private list deferred to the outbox (long 429) counts as sent: no 'start the bot' note in the group", async () => {
    const c = {
      at: clock.at,
      now() {
        return this.at;
      },
    };
    const sent: Sent[] = [];
    const inst = instance(c, sent, 50, false, true);
    const g = await newGroup(inst, [9001, 9002]);
    await inst.groups.rememberUser({ id: 9001, is_bot: false, first_name: "成员9001" }, true);
    const { session } = await inst.signins.open(g, { minutes: 15, title: "延后名单", openedBy: 9001 });
    await inst.signins.signIn(g, 9002, session.id);
    const result = await inst.signins.closeOpen(g);
    expect(result).toMatchObject({ kind: "closed", listTo: "sent" });
    expect(sent.filter((s) => s.chatId === g.id && s.text.includes("/start"))).toHaveLength(0);
  });

  it("late, excused in advance (24 h window), absent, and newcomers not absent", async () => {
    const c = {
      at: clock.at,
      now() {
        return this.at;
      },
    };
    const inst = instance(c);
    const g = await newGroup(inst, [1, 2, 3, 4, 5]);
    expect((await inst.signins.leave(g, 5, "太早了")).kind).toBe("excused-next");
    c.at += 25 * 3600_000; // member 5's excuse has expired by now
    expect((await inst.signins.leave(g, 3, "在外务工")).kind).toBe("excused-next");
    expect((await inst.signins.leave(g, 4, "")).kind).toBe("bad-reason");
    const { session } = await inst.signins.open(g, { minutes: 60, title: "党课", openedBy: 1 });
    await inst.signins.signIn(g, 1, session.id);
    c.at += 11 * MIN;
    expect(await inst.signins.signIn(g, 2, session.id)).toMatchObject({ kind: "signed-in", late: true });
    expect((await inst.signins.leave(g, 2, "其实来了")).kind).toBe("signed-in");
    await inst.groups.touchMember(g.id, { id: 9, is_bot: false, first_name: "新人" });
    const closed = await inst.signins.closeOpen(g);
    expect(closed).toMatchObject({
      kind: "closed",
      counts: { signed: 2, present: 1, late: 1, excused: 1, absent: 2, eligible: 5 },
    });
    const ledger = await inst.activity.allTime(g.id);
    expect(ledger.get(2)).toMatchObject({ signins: 1, signins_late: 1 });
    expect(ledger.get(1)).toEqual({ signins: 1 }); // on time: the script counts no lateness
    expect(ledger.get(3)).toMatchObject({ excused: 1 });
    expect(ledger.get(5)).toBeUndefined();
    const [s] = await inst.signins.sessionsOf(g.id, weekIdAt(session.openedAt, g.timeZone));
    expect(s).toMatchObject({
      id: session.id,
      title: "党课",
      signed: 2, // one on time, one late
      late: 1,
      excused: 1,
      absent: 2,
      eligible: 5,
    });
    expect(s?.closedAt).toBeGreaterThan(s?.openedAt ?? Infinity);
  });

  it("streaks: consecutive sessions signed in to; excuses do not break them", async () => {
    const c = {
      at: clock.at,
      now() {
        return this.at;
      },
    };
    const inst = instance(c);
    const g = await newGroup(inst, [1]);
    const run = async (act: "in" | "excused" | "missed") => {
      const { session } = await inst.signins.open(g, { minutes: 10, title: "例会", openedBy: 1 });
      if (act === "in") await inst.signins.signIn(g, 1, session.id);
      if (act === "excused") await inst.signins.leave(g, 1, "请假");
      await inst.signins.closeOpen(g);
      c.at += 3600_000;
    };
    for (const act of ["in", "missed", "in", "excused", "in"] as const) await run(act);
    expect(await inst.signins.streak(g.id, 1)).toBe(2);
    await inst.signins.open(g, { minutes: 10, title: "进行中", openedBy: 1 });
    expect(await inst.signins.streak(g.id, 1)).toBe(2);
    await inst.signins.closeOpen(g);
    expect(await inst.signins.streak(g.id, 1)).toBe(0);
    expect(await inst.signins.streak(g.id, 424242)).toBe(0);
  });

  it("a lesson's sign-in closes the one still open first, and opens only with signin_with_lesson > 0", async () => {
    const inst = instance(clock);
    const g = await newGroup(inst);
    expect(await inst.signins.openWithLesson(g, "第一课", 1)).toBeUndefined();
    const withLesson = (await inst.groups.update(g.id, {
      schedule: { ...g.schedule, signin_with_lesson: 90 },
    })) as GroupInfo;
    const manual = await inst.signins.open(withLesson, { minutes: 30, title: "手动", openedBy: 1 });
    const lesson = await inst.signins.openWithLesson(withLesson, "第二课：党章", 1);
    expect(lesson).toMatchObject({ kind: "opened", session: { title: "第二课：党章" } });
    expect(lesson?.session.closesAt).toBe(clock.now() + 90 * MIN);
    expect((await inst.signins.signIn(g, 5, manual.session.id)).kind).toBe("closed");
    expect((await inst.signins.signInOpen(g, 5)).kind).toBe("signed-in");
  });

  it("a burst of presses becomes few live-count edits, the last showing the final count", async () => {
    const sent: Sent[] = [];
    const inst = instance(clock, sent, 1000);
    const g = await newGroup(inst);
    const { session } = await inst.signins.open(g, { minutes: 30, title: "突击", openedBy: 1 });
    await Promise.all(Array.from({ length: 200 }, (_, i) => inst.signins.signIn(g, 5000 + i, session.id)));
    const edits = () => sent.filter((s) => s.method === "editMessageText");
    await waitFor(() => edits().at(-1)?.text.includes("<b>200</b>"), { timeout: 5000, interval: 50, message: "the live count at 200" });
    expect(edits().at(-1)?.text).toContain("<b>200</b>");
    expect(edits().length).toBeLessThan(10);
  });

  it("a 'message is not modified' answer to an edit is harmless", async () => {
    const sent: Sent[] = [];
    const inst = instance(clock, sent, 10, true);
    const g = await newGroup(inst);
    const { session } = await inst.signins.open(g, { minutes: 30, title: "未改", openedBy: 1 });
    expect((await inst.signins.signIn(g, 8, session.id)).kind).toBe("signed-in");
    await waitFor(() => inst.signins.pendingEdits() === 0, { timeout: 1000, interval: 10, message: "the live edit done" });
    expect(await inst.signins.closeOpen(g)).toMatchObject({ kind: "closed", counts: { signed: 1 } });
    // Neither the live edit nor the final one fell back to posting a new message.
    expect(sent.filter((m) => m.method === "sendMessage" && m.text.includes("签到已结束"))).toHaveLength(0);
    expect(sent.filter((m) => m.method === "sendMessage" && m.text.includes("请先私聊我"))).toHaveLength(1);
  });
});
