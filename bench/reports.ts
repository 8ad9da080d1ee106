/**
 * Reports benchmarks on a synthetic county written to a real redis-server:
 * `/stats` for one group, `/report` across all groups, `/export` of one group's year,
 * and Redis memory per member-week. Each figure comes with a baseline measured in the same
 * process. `npm run bench` (env BENCH_GROUPS / BENCH_MEMBERS / BENCH_WEEKS to scale).
 */
import pino from "pino";
import { COUNTERS, createActivityRepository, recordActivity } from "../src/activity/index.js";
import { createGroupsRepository } from "../src/groups/index.js";
import { createLessonsRepository } from "../src/lessons/index.js";
import { createApp } from "../src/bot/create-app.js";
import { parseConfig } from "../src/config/config.js";
import { groupKey } from "../src/shared/keys.js";
import { unpaced } from "../src/shared/pacer.js";
import { shiftWeek, weekBounds, weekIdAt } from "../src/shared/week.js";
import { TZ, groupIdOf, writeGroups, writeRawEvents, writeWeeks } from "./county.js";
import { startBenchRedis, usedMemory } from "./redis.js";

const GROUPS = Number(process.env.BENCH_GROUPS ?? 300);
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 60);
const WEEKS = Number(process.env.BENCH_WEEKS ?? 52);
const logger = pino({ level: "silent" });
const out = (line: string) => process.stdout.write(`${line}\n`);

async function time<T>(runs: number, fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  let value = await fn(); // warm-up
  const started = performance.now();
  for (let i = 0; i < runs; i++) value = await fn();
  return { ms: (performance.now() - started) / runs, value };
}

const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1)).padStart(8) + " ms";

export async function benchReports(): Promise<void> {
  out("\n# reports: a synthetic county");
  const wall = performance.now();
  const { redis, url, stop } = await startBenchRedis();
  try {
    const now = Date.now();
    const current = weekIdAt(now, TZ);
    const weekIds = Array.from({ length: WEEKS }, (_, i) => shiftWeek(current, i - WEEKS + 1));
    const activity = createActivityRepository(redis);
    const groupsRepo = createGroupsRepository(redis);
    const lessonsRepo = createLessonsRepository(redis);

    // The bulk writer must use the ledger's layout: record one event the real way and read it back.
    await recordActivity(activity, { groupId: -1, timeZone: TZ, userId: 42, at: now, ref: "check", increments: { quiz_answers: 2 } });
    const check = await redis.hgetall(groupKey(-1, "wk", current));
    if (check["42:quiz_answers"] !== "2" || (await activity.week(-1, current)).get(42)?.quiz_answers !== 2) throw new Error("the bench's key layout no longer matches the activity ledger");
    await redis.flushall();

    let started = performance.now();
    const groupsList = await writeGroups(groupsRepo, lessonsRepo, { groups: GROUPS, members: MEMBERS, weekIds, lessonIds: ["technology-01", "policy-01", "constitution-01"] });
    const groupsMs = performance.now() - started;
    const before = await usedMemory(redis);
    started = performance.now();
    const memberWeeks = await writeWeeks(redis, { groups: GROUPS, members: MEMBERS, weekIds });
    const weeksMs = performance.now() - started;
    const after = await usedMemory(redis);
    const events = await writeRawEvents(redis, 0, MEMBERS, weekIds);
    out(`county: ${GROUPS} groups × ${MEMBERS} members × ${WEEKS} weeks = ${memberWeeks.toLocaleString("en")} member-weeks`);
    out(`  written: groups, rosters, pushes in ${(groupsMs / 1000).toFixed(1)} s; week aggregates in ${(weeksMs / 1000).toFixed(1)} s; ${events.toLocaleString("en")} raw events for group 1`);

    // The services the bot's composers call, built as the bot builds them; nothing here calls Telegram
    // (stats, exports and the county report only read Redis), so no start() and an API root that points nowhere.
    const config = parseConfig({ BOT_TOKEN: "123456:bench-token-not-used-000000", TELEGRAM_API_ROOT: "http://127.0.0.1:9", REDIS_URL: url, CONTENT_DIR: "content", DEFAULT_TIMEZONE: TZ });
    const app = await createApp(config, { logger, redis, clock: { now: () => now }, pacer: unpaced, instanceId: "bench" });
    const { reports } = app.services;
    const group = groupsList[0]!;
    const lastWeek = shiftWeek(current, -1);

    out("");
    out("figure                                   time     baseline   ratio");
    // /stats: the aggregates vs. the floor (one HGETALL of the week hash) and vs. scanning the raw stream.
    const stats = await time(50, () => reports.statsText(group, lastWeek));
    const floor = await time(50, () => redis.hgetall(groupKey(group.id, "wk", lastWeek)));
    const { start, end } = weekBounds(lastWeek, TZ);
    const scan = await time(20, async () => {
      const entries = await redis.xrange(groupKey(group.id, "events"), String(start), String(end - 1));
      const tally = new Map<string, number>();
      for (const [, f] of entries) {
        for (let i = 6; i + 1 < f.length; i += 2) tally.set(`${f[1]}:${f[i]}`, (tally.get(`${f[1]}:${f[i]}`) ?? 0) + Number(f[i + 1]));
      }
      return tally;
    });
    out(`/stats one group-week                 ${fmt(stats.ms)} ${fmt(floor.ms)}  ${(stats.ms / floor.ms).toFixed(1)}× HGETALL floor`);
    out(`  baseline: XRANGE scan + recount      ${fmt(scan.ms)}            ${(scan.ms / stats.ms).toFixed(1)}× slower than /stats (${scan.value.size} member-counters)`);

    // /report: every group ranked (index of this and last week, XLSX) vs. a pipelined HGETALL of each group's week.
    const county = await time(3, () => reports.countyReport(lastWeek, "zh"));
    const countyFloor = await time(3, () => {
      const p = redis.pipeline();
      for (let g = 0; g < GROUPS; g++) p.hgetall(groupKey(groupIdOf(g), "wk", lastWeek));
      return p.exec();
    });
    out(`/report ${GROUPS} groups (text + XLSX)     ${fmt(county.ms)} ${fmt(countyFloor.ms)}  ${(county.ms / countyFloor.ms).toFixed(1)}× ${GROUPS} HGETALLs (xlsx ${((county.value.xlsx?.length ?? 0) / 1024).toFixed(0)} KB)`);

    // /export of a year: 52 week hashes summed, XLSX with 53 sheets, CSV.
    const exp = await time(3, () => reports.exportFiles(group, weekIds));
    const expFloor = await time(3, () => Promise.all(weekIds.map((w) => redis.hgetall(groupKey(group.id, "wk", w)))));
    out(`/export one group, ${WEEKS} weeks          ${fmt(exp.ms)} ${fmt(expFloor.ms)}  ${(exp.ms / expFloor.ms).toFixed(1)}× ${WEEKS} HGETALLs (xlsx ${(exp.value.xlsx.length / 1024).toFixed(0)} KB, csv ${(exp.value.csv.length / 1024).toFixed(0)} KB)`);

    const perMemberWeek = (after - before) / memberWeeks;
    const counters = COUNTERS.length;
    out(`memory per member-week                ${perMemberWeek.toFixed(0).padStart(8)} B  (${((after - before) / 2 ** 20).toFixed(0)} MB for ${memberWeeks.toLocaleString("en")}; up to ${counters} counters each)`);
    out("");
    out(`total ${((performance.now() - wall) / 1000).toFixed(1)} s`);
    await app.stop();
  } finally {
    await stop();
  }
}

