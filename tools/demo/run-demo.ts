/**
 * `npm run demo`: the bot (the same `createApp` as `src/main.ts`, in this process so the demo can move its clock)
 * against the local Bot API simulator and its own local redis-server, playing a whole week in a village group
 * (tools/demo/week.ts), printed as a transcript. Saved under `demo-output/`: the transcript, the Monday report's
 * chart and workbook, the bot's log. It ends with links that open the organiser console in an ordinary browser,
 * with initData signed by the simulator's token (a bot refuses that token unless its Bot API is on this machine,
 * and checks initData with its own token, so these links open nothing anywhere else).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import pino from "pino";
import { buildConsolePage } from "../build-console.mjs";
import { webAppLaunchUrl, type SimMessage } from "../simulator/index.js";
import { startDemoStage } from "./demo-stage.js";
import { demoWeekStart, playWeek } from "./week.js";

const OUT = resolve(process.env.DEMO_OUT ?? "demo-output");

function save(name: string, m: SimMessage): string {
  const file = m.photo ?? m.document;
  if (!file) throw new Error(`${name}: the message carries no file`);
  const path = join(OUT, name);
  writeFileSync(path, file.bytes);
  return path;
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), "sanxue-demo-"));
  const transcript: string[] = [];
  const print = (line: string) => {
    transcript.push(line);
    console.log(line);
  };
  // The organiser console: its page built, served by the bot on a local port (PUBLIC_URL on loopback).
  await buildConsolePage();
  const logPath = join(OUT, "bot.log");
  const stage = await startDemoStage({
    dataDir,
    start: demoWeekStart(Date.now()),
    contentDir: process.env.CONTENT_DIR ?? "content",
    log: { level: process.env.LOG_LEVEL ?? "info", destination: pino.destination({ dest: logPath, sync: true, append: false }) },
  });
  const { sim, cast, publicUrl } = stage;
  sim.onEvent(print);
  print(`— Bot API simulator on ${sim.apiRoot}; the bot's own redis-server keeps its data in ${dataDir}; its log: ${logPath} —`);
  print("— the bot's messages as members see them (HTML shown as text: bold and links lose their markup); [..] are buttons —");
  try {
    const week = await playWeek(stage, print);
    const chart = save(`weekly-report-${week.weekId}.png`, week.report.chart);
    const workbook = save(week.report.workbook.document?.file_name ?? `weekly-report-${week.weekId}.xlsx`, week.report.workbook);

    print(`\n— the week ${week.weekId} is over —`);
    const studied = week.studied.filter((s) => s.toast?.includes("已记录")).length;
    print(`Studied: ${studied} members (李明 🌾's second press was not counted twice); sign-in: on time, late, excused, absent; quiz answers: ${week.quiz.answers.length}`);
    print(`the Monday report's chart:    ${chart}`);
    print(`the Monday report's workbook: ${workbook}`);

    const theme = { bg_color: "#ffffff", text_color: "#000000", hint_color: "#8e8e93", button_color: "#2481cc", button_text_color: "#ffffff", secondary_bg_color: "#f2f2f7" };
    print("\n— the organiser console with the demo's data (initData signed by the simulator's token, valid for a day) —");
    print(`The bot's clock is at the Monday of the report: the console opens on the new week; "‹" shows ${week.weekId}.`);
    print(`the group's secretary:  ${webAppLaunchUrl(`${publicUrl}/console/`, sim.webAppInitData(cast.secretary), theme)}`);
    print(`the county organiser:   ${webAppLaunchUrl(`${publicUrl}/console/`, sim.webAppInitData(cast.county), theme)}`);
    const transcriptPath = join(OUT, "transcript.txt");
    writeFileSync(transcriptPath, `${transcript.join("\n")}\n`);
    console.log(`\n(the transcript is saved in ${transcriptPath})`);
    if (process.env.DEMO_KEEP === "1" || (process.stdout.isTTY && process.env.DEMO_KEEP !== "0")) {
      console.log("The bot keeps serving the console; Ctrl-C ends the demo.");
      await new Promise<void>((done) => process.once("SIGINT", () => done()));
    }
  } finally {
    await stage.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
