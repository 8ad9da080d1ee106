import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Queue, type Job } from "bullmq";
import { Redis } from "ioredis";
import type { Simulator } from "../../tools/simulator/index.js";
import type { TestRedis } from "../support/redis-server.js";
import { drained, manualClock } from "../support/in-process.js";
import { startAppStage, type AppStage } from "../support/stage.js";
import { groupWithBot, lessonsIn } from "../support/sim-groups.js";
import { waitFor } from "../support/wait-for.js";

// Monday 2026-11-30 20:00 in Shanghai is 12:00 UTC: the fixture's constitution slot.
const SLOT = Date.parse("2026-11-30T12:00:00Z");
/** Longer than auto-retry's ceiling (maxDelaySeconds 120): auto-retry hands this 429 back at once. */
const RETRY_AFTER = 200;

let stage: AppStage;
let sim: Simulator;
let redis: TestRedis;
let conn: Redis;
let queue: Queue;
/** Connections the tests opened for queues: BullMQ's close() leaves a connection it was given open. */
const connections: Redis[] = [];

beforeAll(async () => {
  stage = await startAppStage();
  ({ sim, redis } = stage);
  conn = new Redis(redis.url, { maxRetriesPerRequest: null });
  // The outbox's own queue, read from outside: the test plays the clock of its delayed jobs.
  queue = new Queue("outbox", { connection: conn, prefix: "{sx:outbox}" });
});
afterAll(async () => {
  await queue?.close();
  conn?.disconnect();
  for (const c of connections) c.disconnect();
  await stage?.close();
});

/** The outbox's queue in database `db`, read from outside (its connection is closed after the file's tests). */
function outboxQueue(db: number): Queue {
  const connection = new Redis(`${redis.url}/${db}`, { maxRetriesPerRequest: null });
  connections.push(connection);
  return new Queue("outbox", { connection, prefix: "{sx:outbox}" });
}

/** The outbox's delayed jobs, once there is one. */
async function delayedJobs(q: Queue = queue): Promise<Job[]> {
  return waitFor(async () => {
    const jobs = await q.getDelayed();
    return jobs.length > 0 && jobs;
  }, { message: "a delayed outbox job" });
}

describe("a 429 longer than auto-retry waits", () => {
  it("a direct send (a sign-in opened by an organiser) moves to the outbox, waits retry_after and arrives once", async () => {
    const svc = await stage.app({ clock: manualClock(Date.now()) });
    const chat = groupWithBot(sim, "长等村");
    await svc.services.groups.register({ id: chat.id, type: "supergroup", title: "长等村" });
    const group = await svc.services.groups.get(chat.id);
    if (!group) throw new Error("group not registered");
    const fault = { method: "sendMessage", kind: "429" as const, retryAfter: RETRY_AFTER, times: 1 };
    sim.faults.push(fault);

    const result = await svc.services.signins.open(group, { minutes: 30, title: "晚课签到", openedBy: 1 });
    expect(result.kind).toBe("opened");
    expect(fault.times).toBe(0); // Telegram did say 429

    const [job, ...others] = await delayedJobs();
    expect(others).toHaveLength(0);
    expect(job?.name).toBe("api-call");
    expect(job?.opts.delay).toBe(RETRY_AFTER * 1000);
    expect(sim.botMessages(chat)).toHaveLength(0); // still waiting

    await job?.promote(); // the 200 s have passed
    const sent = await sim.waitFor(() => sim.botMessages(chat).find((m) => m.reply_markup?.inline_keyboard?.length), { timeout: 15_000 });
    expect(sent?.text).toContain("晚课签到");
    await drained(svc.services);
    expect(sim.botMessages(chat)).toHaveLength(1);
    // The session stayed open for the button that arrived late.
    expect((await svc.services.signins.signInOpen(group, 1)).kind).toBe("signed-in");
    await svc.close();
  }, 60_000);

  it("inside an outbox job (a scheduled lesson) the job itself waits retry_after; nothing is sent twice", async () => {
    const clock = manualClock(SLOT - 86_400_000);
    const svc = await stage.app({ redisUrl: `${redis.url}/2`, clock });
    const q2 = outboxQueue(2);
    const chat = groupWithBot(sim, "课等村");
    await svc.services.groups.register({ id: chat.id, type: "supergroup", title: "课等村" });
    const fault = { method: "sendMessage", kind: "429" as const, retryAfter: RETRY_AFTER, times: 1 };
    sim.faults.push(fault);
    clock.set(SLOT + 1000);
    await svc.services.scheduler.tick();

    const delayed = await delayedJobs(q2);
    expect(delayed.map((j) => j.name)).toEqual(["lesson"]);
    expect(fault.times).toBe(0);
    await delayed[0]?.promote();
    await drained(svc.services);
    expect(lessonsIn(sim, chat)).toHaveLength(1);
    await q2.close();
    await svc.close();
  }, 60_000);

  it("a direct /push (its caller records each part's message id) keeps its 429: nothing is sent later behind its back", async () => {
    const svc = await stage.app({ redisUrl: `${redis.url}/5`, clock: manualClock(Date.now()) });
    const q5 = outboxQueue(5);
    const chat = groupWithBot(sim, "直推村");
    await svc.services.groups.register({ id: chat.id, type: "supergroup", title: "直推村" });
    const group = await svc.services.groups.get(chat.id);
    if (!group) throw new Error("group not registered");
    sim.faults.push({ method: "sendMessage", kind: "429" as const, retryAfter: RETRY_AFTER, times: 1 });
    await expect(svc.services.lessons.pushNext(group, "constitution")).rejects.toMatchObject({ error_code: 429 });
    expect(await q5.getDelayed()).toHaveLength(0);
    // The administrator's next /push sends the lesson, once.
    expect((await svc.services.lessons.pushNext(group, "constitution")).kind).toBe("pushed");
    expect(lessonsIn(sim, chat)).toHaveLength(1);
    await q5.close();
    await svc.close();
  }, 60_000);

  it("a deferred send whose group became a supergroup meanwhile arrives in the supergroup, once", async () => {
    const svc = await stage.app({ redisUrl: `${redis.url}/6`, clock: manualClock(Date.now()) });
    const q6 = outboxQueue(6);
    const admin = sim.user({ first_name: "孙支书" });
    const basic = sim.group({ title: "升级村", type: "group", admins: [admin] });
    sim.addBot(basic, { by: admin, asAdmin: true });
    await svc.services.groups.register({ id: basic.id, type: "group", title: "升级村" });
    const group = await svc.services.groups.get(basic.id);
    if (!group) throw new Error("group not registered");
    sim.faults.push({ method: "sendMessage", kind: "429" as const, retryAfter: RETRY_AFTER, times: 1 });
    expect((await svc.services.signins.open(group, { minutes: 30, title: "升级前签到", openedBy: admin.id })).kind).toBe("opened");
    const delayed = await delayedJobs(q6);
    expect(delayed.map((j) => j.name)).toEqual(["api-call"]);

    const supergroup = sim.upgradeToSupergroup(basic, { by: admin });
    await delayed[0]?.promote();
    const sent = await sim.waitFor(() => sim.botMessages(supergroup).find((m) => (m.text ?? "").includes("升级前签到")), { timeout: 15_000 });
    expect(sent).toBeTruthy();
    await drained(svc.services);
    expect(sim.botMessages(supergroup).filter((m) => (m.text ?? "").includes("升级前签到"))).toHaveLength(1);
    await q6.close();
    await svc.close();
  }, 60_000);
});
