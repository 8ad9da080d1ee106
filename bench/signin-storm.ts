/**
 * Sign-in storm: 1,000 members press "Sign in" within one second, against the simulator (limits
 * off). Presses handled per second and p50/p99 latency (press → answerCallbackQuery seen by the
 * simulator) for the real bot (polling; webhook with one instance; two instances behind a
 * round-robin loopback balancer), beside a bare grammY bot that only answers the press.
 * `npm run bench storm` (BENCH_PRESSES to scale).
 */
import { spawn } from "node:child_process";
import { createServer, request, Agent, type Server } from "node:http";
import { fileURLToPath } from "node:url";
import { InlineKeyboard } from "grammy";
import { Bot } from "grammy";
import { createSimulator, type Simulator, type SimMessage, type SimUser } from "../tools/simulator/index.js";
import { startBot, type BotProcess } from "../tools/demo/bot-process.js";
import { freePort, startRedis, type TestRedis } from "../test/support/redis-server.js";
import { readFileSync } from "node:fs";
import { Redis } from "ioredis";
import { percentile, row } from "./measure.js";

const PRESSES = Number(process.env.BENCH_PRESSES ?? 1000);
const SPREAD_MS = 1000;
const SECRET = "bench-secret-0123456789"; // WEBHOOK_SECRET needs 16-256 characters
const ROOT = fileURLToPath(new URL("..", import.meta.url));

interface Figures {
  perSecond: number;
  p50: number;
  p99: number;
  unanswered: number;
  /** CPU time of the bot process(es) and of Redis per press: steadier than rates on a busy machine. */
  botCpuMs?: number;
  redisCpuMs?: number;
  /** CPU of this process (the simulator and the presses) per press. */
  simCpuMs?: number;
}

/** User + system CPU seconds a process has used, from /proc (Linux; clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function redisCpuSeconds(url: string): Promise<number> {
  const r = new Redis(url, { protocol: 2 });
  try {
    const info = await r.info("cpu");
    const get = (k: string) => Number(new RegExp(`${k}:([\\d.]+)`).exec(info)?.[1] ?? 0);
    return get("used_cpu_user") + get("used_cpu_sys");
  } finally {
    r.disconnect();
  }
}

/** Runs the storm and adds the CPU the given processes (and Redis) spent on it. */
async function measured(run: () => Promise<Figures>, pids: number[], redisUrl?: string): Promise<Figures> {
  const cpu0 = pids.reduce((a, p) => a + cpuSeconds(p), 0);
  const redis0 = redisUrl ? await redisCpuSeconds(redisUrl) : 0;
  const sim0 = process.cpuUsage();
  const f = await run();
  const n = PRESSES - f.unanswered;
  const sim = process.cpuUsage(sim0);
  f.simCpuMs = (sim.user + sim.system) / 1000 / n;
  f.botCpuMs = ((pids.reduce((a, p) => a + cpuSeconds(p), 0) - cpu0) * 1000) / n;
  if (redisUrl) f.redisCpuMs = (((await redisCpuSeconds(redisUrl)) - redis0) * 1000) / n;
  return f;
}

/** Presses the button once per member, spread evenly over SPREAD_MS; waits for every answer. */
async function storm(sim: Simulator, message: SimMessage, members: SimUser[], button: string): Promise<Figures> {
  const latencies: number[] = [];
  let unanswered = 0;
  const started = performance.now();
  await Promise.all(
    members.map(async (m, i) => {
      await new Promise((r) => setTimeout(r, (i * SPREAD_MS) / members.length));
      const t0 = performance.now();
      const answer = await sim.press(m, message, button);
      if (answer) latencies.push(performance.now() - t0);
      else unanswered++;
    }),
  );
  const wall = (performance.now() - started) / 1000;
  return { perSecond: latencies.length / wall, p50: percentile(latencies, 50), p99: percentile(latencies, 99), unanswered };
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

function bareBot(mode: "polling" | "webhook", env: Record<string, string>): Promise<{ pid: number; stop: () => void }> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/bare-bot.ts", mode], {
    cwd: ROOT, env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve) => child.stdout.once("data", () => resolve({ pid: child.pid ?? 0, stop: () => child.kill("SIGKILL") })));
}

async function stage(): Promise<{ sim: Simulator; redis: TestRedis; members: SimUser[]; admin: SimUser; close(): Promise<void> }> {
  const sim = await createSimulator({ limits: false, pressTimeoutMs: 60_000, botUsername: "sanxue_bench_bot" });
  const redis = await startRedis();
  const admin = sim.user({ first_name: "书记" });
  const members = Array.from({ length: PRESSES }, (_, i) => sim.user({ first_name: `村民${i}` }));
  return { sim, redis, members, admin, close: async () => (await sim.close(), await redis.destroy()) };
}

/** The real bot: a group with every member, an open sign-in, then the storm. */
async function realBot(kind: "polling" | "webhook" | "webhook×2"): Promise<Figures> {
  const s = await stage();
  const bots: BotProcess[] = [];
  let lb: Server | undefined;
  try {
    const env: Record<string, string> = { BOT_TOKEN: s.sim.token, TELEGRAM_API_ROOT: s.sim.apiRoot, REDIS_URL: s.redis.url, CONTENT_DIR: "content", LOG_LEVEL: "warn" };
    const ready = /"msg":"(long polling started|webhook server listening)"/;
    if (kind === "polling") bots.push(await startBot({ ...env, LOG_LEVEL: "info" }));
    else {
      const ports = kind === "webhook" ? [await freePort()] : [await freePort(), await freePort()];
      let front = ports[0] as number;
      if (ports.length > 1) {
        const b = await balancer(ports);
        lb = b.server;
        front = b.port;
      }
      const hook = { WEBHOOK_URL: `http://127.0.0.1:${front}/hook`, WEBHOOK_SECRET: SECRET, LOG_LEVEL: "info" };
      bots.push(...(await Promise.all(ports.map((p) => startBot({ ...env, ...hook, PORT: String(p) })))));
      await Promise.all(bots.map((b) => b.waitForLog(ready)));
    }
    const group = s.sim.group({ title: "压测村", admins: [s.admin], members: s.members });
    s.sim.addBot(group, { by: s.admin, asAdmin: true });
    await s.sim.waitForBotMessage(group, undefined, { timeout: 20_000 });
    const before = s.sim.messages(group).at(-1);
    await s.sim.send(s.admin, group, "/open_signin 30 压测签到");
    const button = "签到 ✋";
    const msg = await s.sim.waitForBotMessage(group, (m) => Boolean(m.reply_markup?.inline_keyboard.flat().some((b) => b.text === button)), { after: before, timeout: 20_000 });
    return await measured(() => storm(s.sim, msg, s.members, button), bots.map((b) => b.pid), s.redis.url);
  } finally {
    await Promise.all(bots.map((b) => b.kill()));
    lb?.close();
    await s.close();
  }
}

/** The floor: a bare grammY bot answering the same presses. */
async function floorBot(mode: "polling" | "webhook"): Promise<Figures> {
  const s = await stage();
  let bare: { pid: number; stop: () => void } | undefined;
  try {
    const env: Record<string, string> = { BOT_TOKEN: s.sim.token, TELEGRAM_API_ROOT: s.sim.apiRoot };
    const api = new Bot(s.sim.token, { client: { apiRoot: s.sim.apiRoot } }).api;
    if (mode === "webhook") {
      const port = await freePort();
      bare = await bareBot("webhook", { ...env, PORT: String(port), WEBHOOK_SECRET: SECRET });
      await api.setWebhook(`http://127.0.0.1:${port}/hook`, { secret_token: SECRET, allowed_updates: ["callback_query"] });
    } else bare = await bareBot("polling", env);
    const chat = s.sim.group({ title: "基线村", admins: [s.admin], members: s.members });
    s.sim.addBot(chat, { by: s.admin, asAdmin: true });
    await api.sendMessage(chat.id, "签到", { reply_markup: new InlineKeyboard().text("签到", "s:1") });
    const msg = s.sim.botMessages(chat).at(-1) as SimMessage;
    return await measured(() => storm(s.sim, msg, s.members, "签到"), [bare.pid]);
  } finally {
    bare?.stop();
    await s.close();
  }
}

const show = (label: string, f: Figures, note = "") =>
  row(
    label,
    `${f.perSecond.toFixed(0)} /s`,
    `p50 ${f.p50.toFixed(0)} ms, p99 ${f.p99.toFixed(0)} ms${f.unanswered ? `, ${f.unanswered} unanswered` : ""}; ` +
      `CPU/press: bot ${(f.botCpuMs ?? 0).toFixed(2)} ms${f.redisCpuMs !== undefined ? `, redis ${f.redisCpuMs.toFixed(2)} ms` : ""}, simulator ${(f.simCpuMs ?? 0).toFixed(2)} ms${note ? `; ${note}` : ""}`,
  );

const cpuRatio = (a: Figures, b: Figures) => ((a.botCpuMs ?? 0) / Math.max(b.botCpuMs ?? 0, 1e-9)).toFixed(1);

export async function benchSigninStorm(): Promise<void> {
  console.log(`\n# sign-in storm: ${PRESSES} presses within ${SPREAD_MS / 1000} s (simulator, limits off)`);
  const wall = performance.now();
  const barePolling = await floorBot("polling");
  show("bare grammY, polling (floor)", barePolling);
  const bareWebhook = await floorBot("webhook");
  show("bare grammY, webhook (floor)", bareWebhook);
  const polling = await realBot("polling");
  show("Sanxue, polling", polling, `rate ×${(polling.perSecond / barePolling.perSecond).toFixed(2)} of the floor, bot CPU ×${cpuRatio(polling, barePolling)}`);
  const webhook = await realBot("webhook");
  show("Sanxue, webhook, 1 instance", webhook, `rate ×${(webhook.perSecond / bareWebhook.perSecond).toFixed(2)} of the floor, bot CPU ×${cpuRatio(webhook, bareWebhook)}`);
  const two = await realBot("webhook×2");
  show("Sanxue, webhook, 2 instances + balancer", two, `rate ×${(two.perSecond / webhook.perSecond).toFixed(2)} of one instance`);
  const perCore = (f: Figures) => (1000 / Math.max((f.botCpuMs ?? 0) + (f.redisCpuMs ?? 0), 1e-9)).toFixed(0);
  row("presses per CPU-second (bot + redis)", `${perCore(webhook)} /s`, `webhook; polling ${perCore(polling)} /s; what one instance on one free core sustains`);
  row("whole storm bench", `${((performance.now() - wall) / 1000).toFixed(0)} s`, `load average ${(await import("node:os")).loadavg()[0]?.toFixed(1)} on ${(await import("node:os")).cpus().length} cores`);
}

