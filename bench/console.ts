/**
 * The organiser console (`npm run bench console`) on a synthetic county in a real redis-server: the county view's
 * API latency over 300 groups beside /report's own ranking (its baseline, the same reads without the trends), the
 * page's size compressed, and its time to first render in headless Chromium beside the bare HTML's load.
 * Env BENCH_GROUPS / BENCH_MEMBERS to scale.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import pino from "pino";
import { chromium } from "playwright-core";
import { createApp } from "../src/bot/create-app.js";
import { parseConfig } from "../src/config/config.js";
import { createGroupsRepository } from "../src/groups/index.js";
import { createLessonsRepository } from "../src/lessons/index.js";
import { freePort } from "../src/shared/embedded-redis.js";
import { unpaced } from "../src/shared/pacer.js";
import { shiftWeek, weekIdAt } from "../src/shared/week.js";
import { buildConsolePage } from "../tools/build-console.mjs";
import { signInitData, webAppLaunchUrl } from "../tools/simulator/index.js";
import { TZ, writeGroups, writeWeeks } from "./county.js";
import { median, percentile } from "./measure.js";
import { startBenchRedis } from "./redis.js";

const GROUPS = Number(process.env.BENCH_GROUPS ?? 300);
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 60);
const WEEKS = 9;
const COUNTY = 900_001;
const TOKEN = "123456:bench-token-not-used-000000";
const out = (line: string) => process.stdout.write(`${line}\n`);
const ms = (v: number) => `${v.toFixed(1).padStart(8)} ms`;

async function times(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  await fn(); // warm-up
  const all: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    all.push(performance.now() - started);
  }
  return all;
}

export async function benchConsole(): Promise<void> {
  out("\n# console: the organiser console over a synthetic county");
  const page = await buildConsolePage("dist/console-page");
  const { redis, url, stop } = await startBenchRedis();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  try {
    const now = Date.now();
    const current = weekIdAt(now, TZ);
    const weekIds = Array.from({ length: WEEKS }, (_, i) => shiftWeek(current, i - WEEKS + 1));
    await writeGroups(createGroupsRepository(redis), createLessonsRepository(redis), { groups: GROUPS, members: MEMBERS, weekIds, lessonIds: ["technology-01", "policy-01", "constitution-01"] });
    await writeWeeks(redis, { groups: GROUPS, members: MEMBERS, weekIds });
    out(`county: ${GROUPS} groups × ${MEMBERS} members × ${WEEKS} weeks`);

    const config = parseConfig({
      BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: "http://127.0.0.1:9", REDIS_URL: url, CONTENT_DIR: "content", DEFAULT_TIMEZONE: TZ,
      ORGANIZER_IDS: String(COUNTY), PUBLIC_URL: base, PORT: String(port),
    });
    const app = await createApp(config, { logger: pino({ level: "silent" }), redis, clock: { now: () => now }, pacer: unpaced, instanceId: "bench" });
    const route = app.services.features.find((f) => f.name === "console")?.http;
    if (!route) throw new Error("the console is not on");
    const server = createServer((req, res) => void route.handle(req, res));
    await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
    const county = { id: COUNTY, is_bot: false, first_name: "县委组织部", language_code: "zh" };
    const initData = signInitData(TOKEN, county, { now });
    const lastWeek = shiftWeek(current, -1);

    out("");
    out("figure                                        median       p95   baseline");
    const view = async () => {
      const res = await fetch(`${base}/console/api/county?week=${lastWeek}`, { headers: { authorization: `tma ${initData}` } });
      if (res.status !== 200) throw new Error(`county view: HTTP ${res.status}`);
      return res.json();
    };
    // The very first call reads six finished weeks of every group and keeps them in Redis; later ones, on any instance
    // and after a restart, read them back (six HMGETs).
    const coldStarted = performance.now();
    await view();
    const cold = performance.now() - coldStarted;
    const restarted = await createApp(config, { logger: pino({ level: "silent" }), redis, clock: { now: () => now }, pacer: unpaced, instanceId: "bench-2" });
    const route2 = restarted.services.features.find((f) => f.name === "console")?.http;
    if (!route2) throw new Error("the console is not on");
    const port2 = await freePort();
    const server2 = createServer((req, res) => void route2.handle(req, res));
    await new Promise<void>((r) => server2.listen(port2, "127.0.0.1", r));
    const cpu0 = process.cpuUsage();
    const restartStarted = performance.now();
    const res2 = await fetch(`http://127.0.0.1:${port2}/console/api/county?week=${lastWeek}`, { headers: { authorization: `tma ${initData}` } });
    if (res2.status !== 200) throw new Error(`county view (second instance): HTTP ${res2.status}`);
    await res2.json();
    const afterRestart = performance.now() - restartStarted;
    const cpu = process.cpuUsage(cpu0);
    server2.close();
    const api = await times(10, view);
    const ranking = await times(10, () => app.services.reports.countyRanking(lastWeek));
    out(`county view API, ${GROUPS} groups, 8-week trends   ${ms(median(api))} ${ms(percentile(api, 95))} ${ms(median(ranking))} /report's ranking alone`);
    out(`  first call ever (finished weeks not stored)  ${ms(cold)}`);
    out(`  first call of a new instance (read back)    ${ms(afterRestart)}   ratio ${(cold / afterRestart).toFixed(1)}× faster than the first ever; CPU ${((cpu.user + cpu.system) / 1000).toFixed(1)} ms`);

    const files = readdirSync("dist/console-page");
    const sizes = files.map((f) => ({ f, raw: readFileSync(join("dist/console-page", f)).length, gz: gzipSync(readFileSync(join("dist/console-page", f)), { level: 9 }).length }));
    const total = sizes.reduce((a, s) => a + s.gz, 0);
    out(`first load, gzip (${files.length} files)              ${(total / 1024).toFixed(1).padStart(8)} KB   budget 200 KB  (${sizes.map((s) => `${s.f} ${(s.gz / 1024).toFixed(1)}`).join(", ")}) ${page.js}`);

    const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
    try {
      const render: number[] = [];
      const bare: number[] = [];
      for (let i = 0; i < 6; i++) {
        const tab = await browser.newPage({ viewport: { width: 360, height: 740 } });
        let started = performance.now();
        await tab.goto(webAppLaunchUrl(`${base}/console/`, initData));
        await tab.waitForSelector("tr[data-group]");
        if (i > 0) render.push(performance.now() - started);
        started = performance.now();
        await tab.goto(`${base}/console/?bare`, { waitUntil: "domcontentloaded" });
        if (i > 0) bare.push(performance.now() - started);
        await tab.close();
      }
      out(`time to first render, county view (${GROUPS} rows)  ${ms(median(render))} ${ms(percentile(render, 95))} ${ms(median(bare))} the HTML alone (no data)`);
    } finally {
      await browser.close();
    }
    server.close();
    await restarted.stop();
    await app.stop();
  } finally {
    await stop();
  }
}
