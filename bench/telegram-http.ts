/**
 * `npm run bench telegram-http`: what one Bot API call costs the bot's process, through grammY's `Api`, on grammY's
 * default HTTP (node-fetch over a keep-alive `http.Agent`) and on Sanxue's (src/shared/telegram-http.ts, node:http without node-fetch).
 * A stand-in Bot API in its own process answers every call `{"ok":true,"result":true}` at once; BENCH_HTTP_CALLS
 * (20,000) answerCallbackQuery calls, BENCH_HTTP_IN_FLIGHT (500) at a time as in a press storm, rounds ABAB so both
 * see the same machine. Printed: CPU of this process per call and calls/s, and the ratio of Sanxue's to grammY's.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { Api } from "grammy";
import { grammyFetch } from "../src/shared/telegram-http.js";
import { median, row } from "./measure.js";

const CALLS = Number(process.env.BENCH_HTTP_CALLS ?? 20_000);
const IN_FLIGHT = Number(process.env.BENCH_HTTP_IN_FLIGHT ?? 500);
const ROUNDS = 3;

const STAND_IN = `
const http = require("node:http");
const body = '{"ok":true,"result":true}';
const s = http.createServer((req, res) => { req.resume(); req.on("end", () => res.writeHead(200, { "content-type": "application/json", "content-length": body.length }).end(body)); });
s.keepAliveTimeout = 60000;
s.listen(0, "127.0.0.1", () => console.log(s.address().port));`;

interface Round { cpuUsPerCall: number; perSecond: number }

async function round(api: Api, calls: number): Promise<Round> {
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next++ < calls) await api.answerCallbackQuery(`press-${next}`, { text: "已签到 ✋ 第 12 位" });
    }),
  );
  const used = process.cpuUsage(cpu);
  return { cpuUsPerCall: (used.user + used.system) / calls, perSecond: calls / ((performance.now() - started) / 1000) };
}

export async function benchTelegramHttp(): Promise<void> {
  const server = spawn(process.execPath, ["-e", STAND_IN], { stdio: ["ignore", "pipe", "inherit"] });
  try {
    const [port] = (await once(server.stdout, "data")) as [Buffer];
    const apiRoot = `http://127.0.0.1:${String(port).trim()}`;
    const apis = { grammY: new Api("1:bench", { apiRoot }), Sanxue: new Api("1:bench", { apiRoot, fetch: grammyFetch() }) };
    console.log(`\n# Bot API calls: ${CALLS} answerCallbackQuery, ${IN_FLIGHT} in flight, to a stand-in in its own process`);
    // Warm both (JIT, connections), then ABAB.
    await round(apis.grammY, 3000);
    await round(apis.Sanxue, 3000);
    const by = { grammY: [] as Round[], Sanxue: [] as Round[] };
    for (let i = 0; i < ROUNDS; i++) for (const name of ["grammY", "Sanxue"] as const) by[name].push(await round(apis[name], CALLS));
    const cpu = (name: keyof typeof by) => median(by[name].map((r) => r.cpuUsPerCall));
    const rate = (name: keyof typeof by) => median(by[name].map((r) => r.perSecond));
    row("grammY's default (node-fetch)", `${cpu("grammY").toFixed(1)} µs/call`, `${Math.round(rate("grammY"))} calls/s (median of ${ROUNDS})`);
    row("Sanxue's (node:http)", `${cpu("Sanxue").toFixed(1)} µs/call`, `${Math.round(rate("Sanxue"))} calls/s (median of ${ROUNDS})`);
    row("Sanxue's against grammY's default", `CPU ×${(cpu("Sanxue") / cpu("grammY")).toFixed(2)}`, `calls/s ×${(rate("Sanxue") / rate("grammY")).toFixed(2)}`);
  } finally {
    server.kill();
  }
}
