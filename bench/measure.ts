import { readdirSync, readFileSync } from "node:fs";

/** Resident memory of a process in MiB, from /proc (Linux). */
export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}

export function row(label: string, value: string, note = ""): void {
  console.log(`  ${label.padEnd(44)} ${value.padStart(14)}  ${note}`);
}

/** CPU milliseconds all threads of a process have run, from /proc/PID/task/TID/schedstat (Linux, nanoseconds). */
export function cpuMs(pid: number): number {
  let ms = 0;
  for (const v of cpuByThread(pid).values()) ms += v;
  return ms;
}

/**
 * CPU milliseconds by thread: `main`, and the others by name (Node 20 names them all `node`: V8's garbage
 * collector and compiler helpers, libuv's pool), summed over the threads of each name.
 */
export function cpuByThread(pid: number): Map<string, number> {
  const by = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const ns = Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0] ?? 0);
      const name = tid === String(pid) ? "main" : readFileSync(`/proc/${pid}/task/${tid}/comm`, "utf8").trim();
      by.set(name, (by.get(name) ?? 0) + ns / 1e6);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return by;
}
