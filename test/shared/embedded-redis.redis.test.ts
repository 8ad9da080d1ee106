import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { connect } from "node:net";
import { join } from "node:path";
import { Writable } from "node:stream";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { pingOnce, startEmbeddedRedis, type EmbeddedRedis } from "../../src/shared/embedded-redis.js";
import { createLogger } from "../../src/shared/logger.js";

const logger = createLogger({ level: "silent", destination: new Writable({ write: (_c, _e, cb) => cb() }) });
const dirs: string[] = [];
const servers: EmbeddedRedis[] = [];
const clients: Redis[] = [];

afterAll(async () => {
  for (const c of clients) c.disconnect();
  for (const s of servers) await s.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** What a local process without the password gets back for one command. */
function rawReply(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.on("error", reject);
    socket.on("connect", () => socket.write(`${command}\r\n`));
    socket.on("data", (d) => {
      socket.destroy();
      resolve(d.toString());
    });
  });
}

function portOf(url: string): number {
  return Number(new URL(url).port);
}

describe("the bot's own redis-server", () => {
  it("refuses a client without its random password, which only the bot's user can read", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sanxue-embedded-"));
    dirs.push(dir);
    const server = await startEmbeddedRedis(dir, logger);
    servers.push(server);
    const port = portOf(server.url);

    expect(await rawReply(port, "SET k stolen")).toMatch(/^-NOAUTH/);
    expect(await rawReply(port, "KEYS *")).toMatch(/^-NOAUTH/);
    expect(await pingOnce(port)).toBe(false);

    const bot = new Redis(server.url);
    clients.push(bot);
    expect(await bot.set("k", "v")).toBe("OK");

    const state = JSON.parse(readFileSync(join(dir, "embedded-redis.json"), "utf8")) as { password: string };
    expect(state.password).toMatch(/^[0-9a-f]{48}$/);
    expect(new URL(server.url).password).toBe(state.password);
    for (const file of ["embedded-redis.json", "embedded-redis.conf"]) expect(statSync(join(dir, file)).mode & 0o777).toBe(0o600);
    // not on the command line, which every local user can read
    const pid = (JSON.parse(readFileSync(join(dir, "embedded-redis.json"), "utf8")) as { pid: number }).pid;
    expect(readFileSync(`/proc/${pid}/cmdline`, "utf8")).not.toContain(state.password);
  });

  it("a server left running by a killed bot is reused, password and all", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sanxue-embedded-"));
    dirs.push(dir);
    const first = await startEmbeddedRedis(dir, logger);
    const c1 = new Redis(first.url);
    clients.push(c1);
    await c1.set("kept", "yes");
    // the bot dies without stopping it; the next start finds it
    const second = await startEmbeddedRedis(dir, logger);
    servers.push(second);
    expect(second.url).toBe(first.url);
    const c2 = new Redis(second.url);
    clients.push(c2);
    expect(await c2.get("kept")).toBe("yes");
  });
});
