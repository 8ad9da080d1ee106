import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The real bot process (`src/main.ts`), as `npm start` runs it, with its log lines collected. */
export interface BotProcess {
  pid: number;
  logs: string[];
  /** Resolves when a log line matches. */
  waitForLog(match: RegExp, timeoutMs?: number): Promise<string>;
  /** SIGTERM and wait; returns the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: a crash. */
  kill(): Promise<void>;
  exited: Promise<number | null>;
}

/** How to start it: the TypeScript through tsx (`npm run dev`, tests) or the compiled `dist/` (`npm start`). */
const ENTRIES = { source: ["--import", "tsx", "src/main.ts"], compiled: ["dist/main.js"] } as const;

/** `nodeArgs` go before the entry (e.g. `--cpu-prof` for a profile, written when the process exits on SIGTERM). */
export function startBot(
  env: Record<string, string>,
  opts: { waitReady?: boolean; entry?: keyof typeof ENTRIES; nodeArgs?: readonly string[] } = {},
): Promise<BotProcess> {
  const child: ChildProcess = spawn(process.execPath, [...(opts.nodeArgs ?? []), ...ENTRIES[opts.entry ?? "source"]], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: string[] = [];
  const waiters: { match: RegExp; resolve: (line: string) => void }[] = [];
  // A chunk may end inside a line: keep the rest until its newline arrives.
  const partial = { stdout: "", stderr: "" };
  const onData = (stream: keyof typeof partial) => (chunk: Buffer) => {
    const lines = (partial[stream] + chunk.toString()).split("\n");
    partial[stream] = lines.pop() ?? "";
    for (const line of lines) {
      if (!line.trim()) continue;
      logs.push(line);
      for (const w of [...waiters]) {
        if (w.match.test(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  };
  child.stdout?.on("data", onData("stdout"));
  child.stderr?.on("data", onData("stderr"));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  const proc: BotProcess = {
    pid: child.pid ?? 0,
    logs,
    exited,
    waitForLog(match, timeoutMs = 20_000) {
      const seen = logs.find((l) => match.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no log line matching ${match} in ${timeoutMs} ms; last lines:\n${logs.slice(-15).join("\n")}`)), timeoutMs);
        waiters.push({
          match,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
        void exited.then(() => {
          clearTimeout(timer);
          reject(new Error(`the bot exited before logging ${match}; last lines:\n${logs.slice(-15).join("\n")}`));
        });
      });
    },
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
    async kill() {
      if (child.exitCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
  if (opts.waitReady === false) return Promise.resolve(proc);
  return proc.waitForLog(/"msg":"(long polling started|webhook server listening)"/, 30_000).then(() => proc);
}
