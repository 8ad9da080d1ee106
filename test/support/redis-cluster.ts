import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "./redis-server.js";
import { waitFor } from "./wait-for.js";

const run = promisify(execFile);

/** A real three-master Redis Cluster on loopback for one test file, each node in its own folder. */
export interface TestRedisCluster {
  ports: number[];
  /** `redis+cluster://127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3` (REDIS_URL form). */
  url: string;
  /** `127.0.0.1:P1,…` (REDIS_CLUSTER_NODES form). */
  nodes: string;
  /** Runs redis-cli against one node, e.g. `cli(0, "CLUSTER", "INFO")`. */
  cli(node: number, ...args: string[]): Promise<string>;
  /** The port of the node that serves `key` (CLUSTER KEYSLOT + CLUSTER SLOTS). */
  portOf(key: string): Promise<number>;
  destroy(): Promise<void>;
}

async function cli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run("redis-cli", ["-h", "127.0.0.1", "-p", String(port), ...args]);
  return stdout;
}

const until = (what: string, test: () => Promise<boolean>) => waitFor(test, { timeout: 10_000, interval: 25, message: `redis cluster: ${what}` });

/** Joins the nodes as masters: `redis-cli --cluster create`, or by hand where redis-cli lacks `--cluster`. */
async function join3(ports: number[]): Promise<void> {
  const hasClusterTool = await run("redis-cli", ["--cluster", "help"]).then(
    (r) => /create/.test(r.stdout + r.stderr),
    () => false,
  );
  if (hasClusterTool) {
    await run("redis-cli", ["--cluster", "create", ...ports.map((p) => `127.0.0.1:${p}`), "--cluster-replicas", "0", "--cluster-yes"]);
    return;
  }
  const per = Math.ceil(16384 / ports.length);
  for (const [i, port] of ports.entries()) {
    await cli(port, "CLUSTER", "ADDSLOTSRANGE", String(i * per), String(Math.min(16383, (i + 1) * per - 1)));
    if (i > 0) await cli(port, "CLUSTER", "MEET", "127.0.0.1", String(ports[0]));
  }
}

/** Starts three `redis-server --cluster-enabled yes` and joins them with `redis-cli --cluster create`. */
export async function startRedisCluster(size = 3): Promise<TestRedisCluster> {
  const root = mkdtempSync(join(tmpdir(), "sanxue-cluster-"));
  const ports: number[] = [];
  const children: ChildProcess[] = [];
  try {
    for (let i = 0; i < size; i++) {
      const port = await freePort();
      const dir = join(root, String(port));
      mkdirSync(dir);
      const child = spawn(
        "redis-server",
        [
          "--port", String(port), "--bind", "127.0.0.1", "--dir", dir,
          "--cluster-enabled", "yes", "--cluster-config-file", join(dir, "nodes.conf"), "--cluster-node-timeout", "5000",
          "--appendonly", "yes", "--save", "",
        ],
        { stdio: "ignore" },
      );
      children.push(child);
      ports.push(port);
      await until(`node ${port} answering`, async () => (await cli(port, "PING")).trim() === "PONG");
    }
    await join3(ports);
    // Every node must know the whole map before clients connect, or they get CLUSTERDOWN.
    for (const port of ports) await until(`cluster_state:ok on ${port}`, async () => (await cli(port, "CLUSTER", "INFO")).includes("cluster_state:ok"));
  } catch (err) {
    for (const c of children) c.kill("SIGKILL");
    rmSync(root, { recursive: true, force: true });
    throw err;
  }

  const first = ports[0] as number;
  return {
    ports,
    url: `redis+cluster://${ports.map((p) => `127.0.0.1:${p}`).join(",")}`,
    nodes: ports.map((p) => `127.0.0.1:${p}`).join(","),
    cli: (node, ...args) => cli(ports[node] ?? first, ...args),
    async portOf(key) {
      const slot = Number((await cli(first, "CLUSTER", "KEYSLOT", key)).trim());
      // CLUSTER NODES: `<id> <ip:port@cport> <flags> <master> <ping> <pong> <epoch> <link> <slot ranges…>`
      for (const line of (await cli(first, "CLUSTER", "NODES")).split("\n")) {
        const fields = line.trim().split(" ");
        const port = Number(fields[1]?.split("@")[0]?.split(":")[1]);
        for (const range of fields.slice(8)) {
          const [start, end = start] = range.split("-").map(Number);
          if (start !== undefined && end !== undefined && start <= slot && slot <= end) return port;
        }
      }
      throw new Error(`no node serves slot ${slot}`);
    },
    async destroy() {
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((resolve) => {
              if (c.exitCode !== null) return resolve();
              c.once("exit", () => resolve());
              c.kill("SIGKILL");
            }),
        ),
      );
      rmSync(root, { recursive: true, force: true });
    },
  };
}
