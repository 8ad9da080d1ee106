import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/config/config.js";

const TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
const parse = (env: Record<string, string>) => parseConfig({ BOT_TOKEN: TOKEN, ...env });

function errorOf(env: Record<string, string>): ConfigError {
  try {
    parse(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

describe("Redis Cluster configuration", () => {
  it("a plain REDIS_URL is one server, as before", () => {
    const c = parse({ REDIS_URL: "redis://:pw@redis:6379/2" });
    expect(c.redisUrl).toBe("redis://:pw@redis:6379/2");
    expect(c.redisCluster).toBeUndefined();
  });

  it("REDIS_URL=redis+cluster://… names the seed nodes, credentials and TLS", () => {
    const c = parse({ REDIS_URL: "rediss+cluster://app:p%40ss@10.0.0.1:7000,10.0.0.2:7001,[::1]:7002,cache.internal" });
    expect(c.redisUrl).toBeUndefined();
    expect(c.redisCluster).toEqual({
      nodes: [
        { host: "10.0.0.1", port: 7000 },
        { host: "10.0.0.2", port: 7001 },
        { host: "::1", port: 7002 },
        { host: "cache.internal", port: 6379 },
      ],
      username: "app",
      password: "p@ss",
      tls: true,
    });
    expect(parse({ REDIS_URL: "redis+cluster://127.0.0.1:7000/" }).redisCluster).toEqual({ nodes: [{ host: "127.0.0.1", port: 7000 }], tls: false });
  });

  it("REDIS_CLUSTER_NODES lists seeds; with a plain REDIS_URL, that node joins them and lends its credentials", () => {
    expect(parse({ REDIS_CLUSTER_NODES: " 10.0.0.1:7000 , 10.0.0.2:7000 " }).redisCluster).toEqual({
      nodes: [
        { host: "10.0.0.1", port: 7000 },
        { host: "10.0.0.2", port: 7000 },
      ],
      tls: false,
    });
    const both = parse({ REDIS_URL: "rediss://:secret@10.0.0.9:6380", REDIS_CLUSTER_NODES: "10.0.0.1:7000" });
    expect(both.redisUrl).toBeUndefined();
    expect(both.redisCluster).toEqual({
      nodes: [
        { host: "10.0.0.9", port: 6380 },
        { host: "10.0.0.1", port: 7000 },
      ],
      password: "secret",
      tls: true,
    });
  });

  it("a wrong value names its variable in one line", () => {
    const cases: [Record<string, string>, string][] = [
      [{ REDIS_CLUSTER_NODES: "10.0.0.1" }, "REDIS_CLUSTER_NODES"],
      [{ REDIS_CLUSTER_NODES: "10.0.0.1:7000,nope:port" }, "REDIS_CLUSTER_NODES"],
      [{ REDIS_CLUSTER_NODES: "10.0.0.1:99999" }, "REDIS_CLUSTER_NODES"],
      [{ REDIS_CLUSTER_NODES: "," }, "REDIS_CLUSTER_NODES"],
      [{ REDIS_URL: "redis+cluster://a:1", REDIS_CLUSTER_NODES: "b:2" }, "REDIS_CLUSTER_NODES"],
      [{ REDIS_URL: "redis://a:1,b:2" }, "REDIS_URL"],
      [{ REDIS_URL: "redis+cluster://a:1,b:x" }, "REDIS_URL"],
      [{ REDIS_URL: "redis+cluster://a:1/3" }, "REDIS_URL"],
      [{ REDIS_URL: "redis+cluster://" }, "REDIS_URL"],
      [{ REDIS_URL: "localhost:6379" }, "REDIS_URL"],
    ];
    for (const [env, variable] of cases) {
      const err = errorOf(env);
      expect(err.variable, JSON.stringify(env)).toBe(variable);
      expect(err.message).toMatch(new RegExp(`^${variable}: `));
      expect(err.message).not.toContain("\n");
    }
    // The password never appears in the complaint.
    expect(errorOf({ REDIS_URL: "redis+cluster://:hunter2@a:1,b:x" }).message).not.toContain("hunter2");
  });
});
