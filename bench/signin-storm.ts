/**
 * Press storms, as issue 11 measures them: BENCH_PRESSES (1,000) members act at once (every press
 * queued before the bot fetches the first; BENCH_SPREAD_MS spreads them instead), against the
 * simulator (limits off). Throughput, p50/p99 latency (storm start → answerCallbackQuery seen by the
 * simulator, or → the bot's "recorded" log line for poll answers) and CPU per press (bot + Redis),
 * beside a bare grammY bot on the same footing (plain node; the real bot runs its compiled dist/,
 * as `npm start` does). Storms: sign-in (polling; webhook, one instance; two instances behind a
 * round-robin balancer), Studied on a just-pushed lesson, quiz answers on a lesson quiz. Every
 * storm checks that each press was counted once (the record's sums equal the presses).
 * `npm run bench storm`; BENCH_PROFILE=<dir> writes a CPU profile of each real bot there (stopped with SIGTERM);
 * BENCH_NODE_ARGS adds node flags to the real bots.
 */
import { spawn, spawnSync } from "node:child_process";
import { createServer, request, Agent, type Server } from "node:http";
import { fileURLToPath } from "node:url";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import * as esbuild from "esbuild";
import { InlineKeyboard, Bot } from "grammy";
import { Redis } from "ioredis";
import { createSimulator, type Simulator, type SimMessage, type SimUser, type SimChat } from "../tools/simulator/index.js";
import { startBot, type BotProcess } from "../tools/demo/bot-process.js";
import { freePort, startRedis, type TestRedis } from "../test/support/redis-server.js";
import { groupKey } from "../src/shared/keys.js";
import { GROUP_PRESSES_PER_MINUTE } from "../src/floods/index.js";
import { cpuByThread, median, percentile, row } from "./measure.js";
import { callsPer, redisUsage } from "./redis.js";

const PRESSES = Number(process.env.BENCH_PRESSES ?? 1000);
const SPREAD_MS = Number(process.env.BENCH_SPREAD_MS ?? 0);
const PROFILE_DIR = process.env.BENCH_PROFILE;
/** Extra node flags for the real bots (e.g. `--max-semi-space-size=32`, or a `--require` of a probe). */
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
/** The same for the bare grammY bots of the floors (e.g. the same probe, to compare what both allocate). */
const FLOOR_NODE_ARGS = (process.env.BENCH_FLOOR_NODE_ARGS ?? "").split(" ").filter(Boolean);
/**
 * Each storm and its floor run this many times, alternately; the ratios are the medians of each round's
 * (the machine's speed drifts between runs: a floor and its storm a few seconds apart compare best). Three by
 * default: one round's ratio moves by ±0.05 from run to run, more than most changes to the press's path.
 */
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
/**
 * BENCH_WARM=1: each bot (the floor's too) first takes one storm of the same kind, unmeasured, and the second is
 * measured: a bot that has run for a while, its hot code compiled, instead of one just started.
 */
const WARM = process.env.BENCH_WARM === "1";
/** The storm's figures; under BENCH_WARM the second run's (`storm(1)`), after an unmeasured `storm(0)`. */
async function warmedUp(storm: (i: number) => Promise<Figures>): Promise<Figures> {
  if (WARM) await storm(0);
  return storm(WARM ? 1 : 0);
}
const SECRET = "bench-secret-0123456789"; // WEBHOOK_SECRET needs 16-256 characters
const ROOT = fileURLToPath(new URL("..", import.meta.url));

interface Figures {
  perSecond: number;
  p50: number;
  p99: number;
  unanswered: number;
  /** CPU time of the bot process(es) and of Redis per press: steadier than rates on a busy machine. */
  botCpuMs: number;
  /** The bot's CPU per press by thread name: the main thread beside V8's helpers (the garbage collector's share). */
  botThreads: string;
  redisCpuMs: number;
  /** CPU of this process (the simulator and the presses) per press. */
  simCpuMs: number;
  /** Redis commands per press (INFO commandstats, script internals included), the most frequent first. */
  redisCalls?: string;
  /** Round trips to Redis per press (the bots' own count on /metrics: a command, script, pipeline or MULTI each). */
  roundTrips?: number;
  /** Bot API calls per press, by method. */
  apiCalls?: string;
  /** What the record says: presses counted (undefined for the bare bot, which stores nothing). */
  counted?: string;
  countedOk?: boolean;
}
type Storm = Omit<Figures, "botCpuMs" | "botThreads" | "redisCpuMs" | "simCpuMs">;

/** CPU milliseconds of the processes, by thread name (`main`, and the helper threads by name). */
function threadsCpu(pids: number[]): Map<string, number> {
  const all = new Map<string, number>();
  for (const pid of pids) for (const [name, ms] of cpuByThread(pid)) all.set(name, (all.get(name) ?? 0) + ms);
  return all;
}

function apiCallsPerPress(calls: { method: string }[], n: number): string {
  const by = new Map<string, number>();
  for (const c of calls) by.set(c.method, (by.get(c.method) ?? 0) + 1);
  return [...by].sort((a, b) => b[1] - a[1]).map(([m, k]) => `${m} ${(k / n).toFixed(2)}`).join(", ");
}

/** The bots' Redis round trips so far, summed over their `/metrics` (on these ports). */
async function roundTripsSoFar(ports: number[]): Promise<number> {
  const each = await Promise.all(
    ports.map(async (port) => {
      const body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      return Number(/^sanxue_redis_round_trips_total (\d+)/m.exec(body)?.[1] ?? Number.NaN);
    }),
  );
  return each.reduce((a, b) => a + b, 0);
}

/** Runs the storm and adds the CPU the given processes (and Redis) spent on it. */
async function measured(run: () => Promise<Storm>, pids: number[], redisUrl?: string, world?: Simulator, metricsPorts: number[] = []): Promise<Figures> {
  const trips0 = metricsPorts.length ? await roundTripsSoFar(metricsPorts) : 0;
  const cpu0 = threadsCpu(pids);
  const redis0 = redisUrl ? await redisUsage(redisUrl) : undefined;
  const sim0 = process.cpuUsage();
  const calls0 = world?.calls.length ?? 0;
  const f = await run();
  const cpu1 = threadsCpu(pids);
  const n = Math.max(1, PRESSES - f.unanswered);
  const threads = [...cpu1].map(([name, ms]) => [name, (ms - (cpu0.get(name) ?? 0)) / n] as const).sort((a, b) => b[1] - a[1]);
  const sim = process.cpuUsage(sim0);
  const redis1 = redisUrl ? await redisUsage(redisUrl) : undefined;
  const trips1 = metricsPorts.length ? await roundTripsSoFar(metricsPorts) : 0;
  return {
    roundTrips: metricsPorts.length ? (trips1 - trips0) / n : undefined,
    ...f,
    simCpuMs: (sim.user + sim.system) / 1000 / n,
    botCpuMs: threads.reduce((a, [, ms]) => a + ms, 0),
    botThreads: threads.filter(([, ms]) => ms >= 0.005).map(([name, ms]) => `${name} ${ms.toFixed(2)}`).join(", "),
    redisCpuMs: redis0 && redis1 ? ((redis1.cpu - redis0.cpu) * 1000) / n : 0,
    redisCalls: redis0 && redis1 ? callsPer(redis0.calls, redis1.calls, n) : undefined,
    apiCalls: world ? apiCallsPerPress(world.calls.slice(calls0), n) : undefined,
  };
}

/** Latencies from the storm's start (all queued at once) or from each press's own moment (spread). */
function figures(latencies: number[], started: number, unanswered: number): Storm {
  const wall = (performance.now() - started) / 1000;
  return { perSecond: latencies.length / wall, p50: percentile(latencies, 50), p99: percentile(latencies, 99), unanswered };
}

const at = (i: number, n: number) => (SPREAD_MS ? new Promise((r) => setTimeout(r, (i * SPREAD_MS) / n)) : undefined);

/** Presses the button once per member (all at once, or spread over SPREAD_MS); waits for every answer. */
async function pressStorm(sim: Simulator, message: SimMessage, members: SimUser[], button: string, answered: (text: string) => boolean): Promise<Storm & { good: number }> {
  const latencies: number[] = [];
  let unanswered = 0;
  let good = 0;
  const started = performance.now();
  await Promise.all(
    members.map(async (m, i) => {
      await at(i, members.length);
      const t0 = performance.now();
      const answer = await sim.press(m, message, button);
      if (!answer) return void unanswered++;
      latencies.push(performance.now() - t0);
      if (answered(answer.text ?? "")) good++;
    }),
  );
  return { ...figures(latencies, started, unanswered), good };
}

/** Every member answers the quiz poll; done when the bot has logged as many `recorded` lines. */
async function pollStorm(sim: Simulator, poll: SimMessage, members: SimUser[], logs: string[], recorded: RegExp): Promise<Storm> {
  const seen0 = logs.length;
  const latencies: number[] = [];
  const started = performance.now();
  const sentAt: number[] = [];
  await Promise.all(
    members.map(async (m, i) => {
      await at(i, members.length);
      sentAt.push(performance.now());
      sim.answerPoll(m, poll, [0]);
    }),
  );
  // Log lines arrive in batches: poll for them, each one's latency from its answer's moment (in order).
  let scanned = seen0;
  const deadline = performance.now() + 120_000;
  while (latencies.length < members.length && performance.now() < deadline) {
    for (; scanned < logs.length; scanned++) if (recorded.test(logs[scanned] ?? "")) latencies.push(performance.now() - (sentAt[latencies.length] ?? started));
    await new Promise((r) => setTimeout(r, 2));
  }
  return figures(latencies, started, members.length - latencies.length);
}

/** A round-robin HTTP proxy on loopback: what nginx does in docker-compose.yml. */
async function balancer(ports: number[]): Promise<{ port: number; server: Server }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let next = 0;
  const server = createServer((req, res) => {
    const port = ports[next++ % ports.length];
    const up = request({ host: "127.0.0.1", port, path: req.url, method: req.method, headers: req.headers, agent }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on("error", () => res.writeHead(502).end());
    req.pipe(up);
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  return { port, server };
}

function bareBot(mode: "polling" | "webhook", env: Record<string, string>): Promise<{ pid: number; logs: string[]; stop: () => Promise<void> }> {
  // Profiled, it is stopped with SIGTERM (node writes the profile on exit) and waited for.
  const profile = PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=bare-${mode}-${Date.now()}.cpuprofile`] : [];
  const child = spawn(process.execPath, [...profile, ...FLOOR_NODE_ARGS, "bench/bare-bot.mjs", mode], {
    cwd: ROOT, env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "inherit"],
  });
  const logs: string[] = [];
  let partial = "";
  return new Promise((resolve) =>
    child.stdout.on("data", (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        if (line === "ready") resolve({ pid: child.pid ?? 0, logs, stop: () => stopped(child) });
        else logs.push(line);
      }
    }),
  );
}

function stopped(child: ReturnType<typeof spawn>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill(PROFILE_DIR ? "SIGTERM" : "SIGKILL");
  return exited;
}

interface Stage { sim: Simulator; redis: TestRedis; members: SimUser[]; admin: SimUser; close(): Promise<void> }
async function stage(): Promise<Stage> {
  const sim = await createSimulator({ limits: false, pressTimeoutMs: 60_000, botUsername: "sanxue_bench_bot" });
  const redis = await startRedis();
  const admin = sim.user({ first_name: "书记" });
  const members = Array.from({ length: PRESSES }, (_, i) => sim.user({ first_name: `村民${i}` }));
  return { sim, redis, members, admin, close: async () => (await sim.close(), await redis.destroy()) };
}

/** The real bot's environment on a stage (the transport's variables come on top). */
const botEnv = (s: Stage): Record<string, string> => ({
  BOT_TOKEN: s.sim.token, TELEGRAM_API_ROOT: s.sim.apiRoot, REDIS_URL: s.redis.url, CONTENT_DIR: "content", LOG_LEVEL: "info",
});

type Kind = "signin" | "studied" | "quiz";
type Transport = "polling" | "webhook" | "webhook×2";

/** Sums a counter over the group's all-time ledger (what the export and the leaderboard read). */
async function ledgerSum(redisUrl: string, chatId: number, counter: string): Promise<number> {
  const r = new Redis(redisUrl, { protocol: 2 });
  try {
    const all = await r.hgetall(groupKey(chatId, "all"));
    return Object.entries(all).filter(([k]) => k.endsWith(`:${counter}`)).reduce((n, [, v]) => n + Number(v), 0);
  } finally {
    r.disconnect();
  }
}

/** The real bot: a group with every member, then the storm of `kind` through `transport`. */
async function realBot(kind: Kind, transport: Transport): Promise<Figures> {
  const s = await stage();
  const bots: BotProcess[] = [];
  let lb: Server | undefined;
  try {
    const env = botEnv(s);
    const profile = PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${PROFILE_DIR}`] : [];
    const opts = { entry: "compiled" as const, nodeArgs: [...profile, ...NODE_ARGS] };
    const ports = transport === "webhook×2" ? [await freePort(), await freePort()] : [await freePort()];
    // A polling bot serves /metrics on METRICS_PORT (webhook bots on PORT).
    if (transport === "polling") bots.push(await startBot({ ...env, METRICS_PORT: String(ports[0]) }, opts));
    else {
      let front = ports[0] as number;
      if (ports.length > 1) {
        const b = await balancer(ports);
        lb = b.server;
        front = b.port;
      }
      const hook = { WEBHOOK_URL: `http://127.0.0.1:${front}/hook`, WEBHOOK_SECRET: SECRET };
      bots.push(...(await Promise.all(ports.map((p) => startBot({ ...env, ...hook, PORT: String(p) }, opts)))));
    }
    const on: BotsOn = { pids: bots.map((b) => b.pid), ports };
    // Warm: the first storm in its own group.
    const f = await warmedUp(async (i) => {
      const group = s.sim.group({ title: `压测村${i || ""}`, admins: [s.admin], members: s.members });
      s.sim.addBot(group, { by: s.admin, asAdmin: true });
      await s.sim.waitForBotMessage(group, undefined, { timeout: 20_000 });
      return kind === "signin" ? signinStorm(s, group, on) : kind === "studied" ? studiedStorm(s, group, on) : quizStorm(s, group, bots, on);
    });
    if (PROFILE_DIR) await Promise.all(bots.map((b) => b.stop()));
    return f;
  } finally {
    await Promise.all(bots.map((b) => b.kill()));
    lb?.close();
    await s.close();
  }
}

/** The real bots of a storm: their processes and the ports of their /metrics. */
interface BotsOn { pids: number[]; ports: number[] }

async function command(s: Stage, group: SimChat, text: string, match: (m: SimMessage) => boolean): Promise<SimMessage> {
  const before = s.sim.messages(group).at(-1);
  await s.sim.send(s.admin, group, text);
  return s.sim.waitForBotMessage(group, match, { after: before, timeout: 20_000 });
}
const hasButton = (text: string) => (m: SimMessage) => Boolean(m.reply_markup?.inline_keyboard.flat().some((b) => b.text === text));

async function signinStorm(s: Stage, group: SimChat, on: BotsOn): Promise<Figures> {
  const button = "签到 ✋";
  const msg = await command(s, group, "/open_signin 30 压测签到", hasButton(button));
  let good = 0;
  const f = await measured(async () => {
    const r = await pressStorm(s.sim, msg, s.members, button, (t) => t.startsWith("签到成功") || t.startsWith("已签到"));
    good = r.good;
    return r;
  }, on.pids, s.redis.url, s.sim, on.ports);
  const ledger = await ledgerSum(s.redis.url, group.id, "signins");
  return { ...f, counted: `${good} toasts, ledger ${ledger}`, countedOk: good === PRESSES && ledger === PRESSES };
}

async function studiedStorm(s: Stage, group: SimChat, on: BotsOn): Promise<Figures> {
  const button = "已学习 ✓";
  const lesson = await command(s, group, "/push technology", hasButton(button));
  let good = 0;
  const f = await measured(async () => {
    const r = await pressStorm(s.sim, lesson, s.members, button, (t) => t.startsWith("已记录"));
    good = r.good;
    return r;
  }, on.pids, s.redis.url, s.sim, on.ports);
  const ledger = await ledgerSum(s.redis.url, group.id, "lessons_studied");
  return { ...f, counted: `${good} toasts, ledger ${ledger}`, countedOk: good === PRESSES && ledger === PRESSES };
}

async function quizStorm(s: Stage, group: SimChat, bots: BotProcess[], on: BotsOn): Promise<Figures> {
  // Members who studied the lesson are on the roster: their answers need no getChatMember.
  const lesson = await command(s, group, "/push technology", hasButton("已学习 ✓"));
  await pressStorm(s.sim, lesson, s.members, "已学习 ✓", () => true);
  const poll = await command(s, group, "/quiz technology", (m) => Boolean(m.poll));
  const logs = (bots[0] as BotProcess).logs;
  const f = await measured(() => pollStorm(s.sim, poll, s.members, logs, /"msg":"quiz answer recorded"/), on.pids, s.redis.url, s.sim, on.ports);
  const ledger = await ledgerSum(s.redis.url, group.id, "quiz_answers");
  return { ...f, counted: `ledger ${ledger}`, countedOk: ledger === PRESSES };
}

/**
 * Sanxue's HTTP to the Bot API (src/shared/telegram-http.ts) compiled for the bare bot (BARE_FETCH): the floor
 * like for like, where the framework's cost is compared without the client grammY ships with.
 */
function sanxueFetchModule(): string {
  const out = path.join(ROOT, "node_modules/.cache/sanxue-bench/telegram-http.mjs");
  esbuild.buildSync({ entryPoints: [path.join(ROOT, "src/shared/telegram-http.ts")], outfile: out, bundle: true, packages: "external", platform: "node", format: "esm", logLevel: "error" });
  return out;
}

/** The floor: a bare grammY bot answering the same presses (or receiving the same poll answers); `fetch`: BARE_FETCH. */
async function floorBot(mode: "polling" | "webhook", kind: "press" | "poll" = "press", fetch?: string): Promise<Figures> {
  const s = await stage();
  let bare: Awaited<ReturnType<typeof bareBot>> | undefined;
  try {
    const env: Record<string, string> = { BOT_TOKEN: s.sim.token, TELEGRAM_API_ROOT: s.sim.apiRoot, ...(fetch && { BARE_FETCH: fetch }) };
    const api = new Bot(s.sim.token, { client: { apiRoot: s.sim.apiRoot } }).api;
    if (mode === "webhook") {
      const port = await freePort();
      bare = await bareBot("webhook", { ...env, PORT: String(port), WEBHOOK_SECRET: SECRET });
      await api.setWebhook(`http://127.0.0.1:${port}/hook`, { secret_token: SECRET, allowed_updates: ["callback_query", "poll", "poll_answer"] });
    } else bare = await bareBot("polling", env);
    const chat = s.sim.group({ title: "基线村", admins: [s.admin], members: s.members });
    s.sim.addBot(chat, { by: s.admin, asAdmin: true });
    const b = bare;
    return await warmedUp(async () => {
      if (kind === "poll") {
        await api.sendPoll(chat.id, "买种子要看什么？", [{ text: "标签" }, { text: "颜色" }], { type: "quiz", correct_option_ids: [0], is_anonymous: false });
        const poll = s.sim.botMessages(chat).at(-1) as SimMessage;
        return measured(() => pollStorm(s.sim, poll, s.members, b.logs, /"msg":"poll answer"/), [b.pid]);
      }
      await api.sendMessage(chat.id, "签到", { reply_markup: new InlineKeyboard().text("签到", "s:1") });
      const msg = s.sim.botMessages(chat).at(-1) as SimMessage;
      return measured(() => pressStorm(s.sim, msg, s.members, "签到", () => true), [b.pid]);
    });
  } finally {
    await bare?.stop();
    await s.close();
  }
}

const cpu = (f: Figures) => f.botCpuMs + f.redisCpuMs;
const show = (label: string, f: Figures) =>
  row(
    label,
    `${f.perSecond.toFixed(0)} /s`,
    `p50 ${f.p50.toFixed(0)} ms, p99 ${f.p99.toFixed(0)} ms${f.unanswered ? `, ${f.unanswered} unanswered` : ""}; ` +
      `CPU/press: bot ${f.botCpuMs.toFixed(2)} ms (${f.botThreads})${f.redisCpuMs ? ` + redis ${f.redisCpuMs.toFixed(2)} ms` : ""}, simulator ${f.simCpuMs.toFixed(2)} ms` +
      (f.counted ? `; counted: ${f.counted}` : "") +
      (f.roundTrips === undefined ? "" : `; redis round trips/press ${f.roundTrips.toFixed(2)}`) +
      (f.redisCalls ? `; redis calls/press (script internals included) ${f.redisCalls}` : "") +
      (f.apiCalls ? `; Bot API calls/press ${f.apiCalls}` : ""),
  );

/** A storm and its floor, ROUNDS times alternately (the floor first). */
interface Rounds { floors: Figures[]; storms: Figures[] }
async function inRounds(floor: () => Promise<Figures>, storm: () => Promise<Figures>): Promise<Rounds> {
  const out: Rounds = { floors: [], storms: [] };
  for (let i = 0; i < ROUNDS; i++) {
    out.floors.push(await floor());
    out.storms.push(await storm());
  }
  return out;
}

/** Each round's figures (one line for one round), or the median round's by CPU per press. */
function showRounds(label: string, all: Figures[]): void {
  if (all.length === 1) return show(label, all[0] as Figures);
  const byCpu = [...all].sort((a, b) => cpu(a) - cpu(b));
  show(`${label} (median of ${all.length} by CPU)`, byCpu[Math.floor(byCpu.length / 2)] as Figures);
  row("", "", `CPU/press (bot + redis) per round: ${all.map((f) => cpu(f).toFixed(2)).join(", ")} ms; presses/s: ${all.map((f) => f.perSecond.toFixed(0)).join(", ")}`);
}

/** The goals of issue 11 for one storm against its floor: each ratio the median of the rounds' (same round, same run). */
function goals(label: string, r: Rounds, opts: { p99?: boolean; floors?: Figures[] } = {}): boolean {
  const floors = opts.floors ?? r.floors;
  const ratio = (of: (f: Figures) => number) => median(r.storms.map((f, i) => of(f) / Math.max(of(floors[i] as Figures), 1e-9)));
  const rate = ratio((f) => f.perSecond);
  const p99 = ratio((f) => f.p99);
  const perPress = ratio(cpu);
  const counted = r.storms.every((f) => f.countedOk !== false);
  const mark = (ok: boolean) => (ok ? "ok" : "MISSED");
  const checks = [
    `rate ×${rate.toFixed(2)} (≥ 0.8 ${mark(rate >= 0.8)})`,
    ...(opts.p99 ? [`p99 ×${p99.toFixed(2)} (≤ 1.5 ${mark(p99 <= 1.5)})`] : []),
    `CPU/press ×${perPress.toFixed(2)} (≤ 1.4 ${mark(perPress <= 1.4)})`,
    ...(r.storms[0]?.countedOk === undefined ? [] : [`counted once ${mark(counted)}`]),
  ];
  row(`  ${label} vs the floor${r.storms.length > 1 ? ` (medians of ${r.storms.length} rounds)` : ""}`, "", checks.join(", "));
  return rate >= 0.8 && (!opts.p99 || p99 <= 1.5) && perPress <= 1.4 && counted;
}

/**
 * One start of the new build, long enough for it to write V8's code cache (tools/bundle-loader.mjs, 2 s
 * after a start without one): every storm's bot then starts as a production restart does, and the first
 * start's compile and cache write do not land in a storm (bench startup measures that start).
 */
async function warmCodeCache(): Promise<void> {
  const s = await stage();
  try {
    const bot = await startBot(botEnv(s), { entry: "compiled" });
    await new Promise((r) => setTimeout(r, 3000));
    await bot.kill();
  } finally {
    await s.close();
  }
}

/** BENCH_STORMS (e.g. "signin-polling,quiz") runs only those storms and their floors. */
const only = process.env.BENCH_STORMS?.split(",");
const want = (...names: string[]) => !only || names.some((n) => only.some((o) => n.startsWith(o)));

export async function benchSigninStorm(): Promise<void> {
  const how = SPREAD_MS ? `spread over ${SPREAD_MS / 1000} s` : "queued at once";
  console.log(`\n# press storms: ${PRESSES} presses ${how} (simulator, limits off; the bot runs dist/, built now)`);
  // All the presses are in one group: past the group's cap a minute, presses are refused ("slow down") by design.
  if (PRESSES > GROUP_PRESSES_PER_MINUTE)
    console.log(`  (more presses than one group may make in a minute, ${GROUP_PRESSES_PER_MINUTE}: the rest are refused, and "counted once" fails)`);
  const built = spawnSync("npm", ["run", "build", "--silent"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  if (built.status !== 0) throw new Error("npm run build failed");
  await warmCodeCache();
  // This process runs the simulator and the presses: one unmeasured floor storm of each kind warms its code,
  // or the first floor measured (sign-in's) would be the only one met by a cold simulator, which flatters it.
  await floorBot("polling");
  if (want("quiz")) await floorBot("polling", "poll");
  const wall = performance.now();
  const results: boolean[] = [];
  const pressFloor = () => floorBot("polling");
  /** A storm against its floor in rounds: both shown, the goals checked. */
  const compared = async (labels: [floor: string, storm: string, goal: string], floor: () => Promise<Figures>, storm: () => Promise<Figures>, opts: { p99?: boolean } = {}) => {
    const r = await inRounds(floor, storm);
    showRounds(labels[0], r.floors);
    showRounds(labels[1], r.storms);
    results.push(goals(labels[2], r, opts));
    return r;
  };
  // Sanxue talks to the Bot API on node:http, bare grammY on its default node-fetch: the sign-in storms are also run
  // against a bare bot on Sanxue's HTTP, for the framework's cost alone (shown, not counted among the goals).
  const likeForLike = async (mode: "polling" | "webhook") => {
    const fetch = sanxueFetchModule();
    const r = await inRounds(() => floorBot(mode, "press", fetch), () => realBot("signin", mode));
    showRounds(`bare grammY on Sanxue's HTTP, ${mode} (like for like)`, r.floors);
    showRounds(`Sanxue sign-in, ${mode}`, r.storms);
    goals(`sign-in, ${mode}, like for like (not a goal)`, r, { p99: mode === "polling" });
  };
  if (want("signin-polling")) {
    await compared(["bare grammY, polling (floor)", "Sanxue sign-in, polling", "sign-in, polling"], pressFloor, () => realBot("signin", "polling"), { p99: true });
    await likeForLike("polling");
  }
  if (want("signin-webhook")) {
    const r = await compared(["bare grammY, webhook (floor)", "Sanxue sign-in, webhook, 1 instance", "sign-in, webhook"], () => floorBot("webhook"), () => realBot("signin", "webhook"));
    await likeForLike("webhook");
    const two = await realBot("signin", "webhook×2");
    show("Sanxue sign-in, webhook, 2 instances + lb", two);
    row("  2 instances vs 1", "", `rate ×${(two.perSecond / median(r.storms.map((f) => f.perSecond))).toFixed(2)}`);
  }
  if (want("studied")) {
    await compared(["bare grammY, polling (floor)", "Sanxue Studied, polling", "Studied, polling"], pressFloor, () => realBot("studied", "polling"), { p99: true });
  }
  if (want("quiz")) {
    const presses: Figures[] = [];
    const floor = async () => (presses.push(await pressFloor()), floorBot("polling", "poll"));
    const r = await compared(["bare grammY, poll answers, polling (floor)", "Sanxue quiz answers, polling", "quiz answers, polling"], floor, () => realBot("quiz", "polling"), { p99: true });
    // The bare bot makes no call for a poll answer (nothing to answer); beside the press floor too, for scale.
    goals("quiz answers (bare press floor)", r, { p99: true, floors: presses });
  }
  row("goals reached", `${results.filter(Boolean).length} of ${results.length}`);
  row("whole storm bench", `${((performance.now() - wall) / 1000).toFixed(0)} s`, `load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores`);
}
