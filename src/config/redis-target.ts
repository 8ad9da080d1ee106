import type { ClusterTarget } from "../shared/redis.js";

/** Where Redis is: one server by URL, a Cluster by its seed nodes, or neither (the bot starts its own). */
export interface RedisTargetConfig {
  redisUrl?: string;
  redisCluster?: ClusterTarget;
}

/** A one-line complaint about one variable; config.ts turns it into a ConfigError. */
export class RedisTargetError extends Error {
  constructor(
    readonly variable: "REDIS_URL" | "REDIS_CLUSTER_NODES",
    readonly expected: string,
  ) {
    super(`${variable}: ${expected}`);
  }
}

const SINGLE = /^rediss?:\/\/\S+$/;
const CLUSTER = /^(rediss?)\+cluster:\/\/(\S+)$/;
const NODE = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(?::(\d{1,5}))?$/;
const CLUSTER_HINT = "expected redis+cluster://[user:password@]host1:port1,host2:port2 (rediss+cluster:// for TLS)";

/** host:port (IPv6 in brackets); the port may be left out only where `defaultPort` is given. */
function parseNode(text: string, defaultPort?: number): { host: string; port: number } | undefined {
  const m = NODE.exec(text.trim());
  if (!m?.[1]) return undefined;
  const port = m[2] === undefined ? defaultPort : Number(m[2]);
  if (port === undefined || port < 1 || port > 65535) return undefined;
  return { host: m[1].replace(/^\[|\]$/g, ""), port };
}

function parseNodes(list: string, variable: RedisTargetError["variable"], expected: string, defaultPort?: number) {
  const parts = list.split(",").map((s) => s.trim()).filter(Boolean);
  if (parts.length === 0) throw new RedisTargetError(variable, expected);
  return parts.map((p) => {
    const node = parseNode(p, defaultPort);
    if (!node) throw new RedisTargetError(variable, `"${p}" is not host:port; ${expected}`);
    return node;
  });
}

/** Splits `user:password@hosts` (percent-encoded credentials, as in a URL). */
function credentials(authority: string): { userinfo?: { username?: string; password?: string }; hosts: string } {
  const at = authority.lastIndexOf("@");
  if (at < 0) return { hosts: authority };
  const info = authority.slice(0, at);
  const colon = info.indexOf(":");
  const username = decodeURIComponent(colon < 0 ? info : info.slice(0, colon)) || undefined;
  const password = colon < 0 ? undefined : decodeURIComponent(info.slice(colon + 1)) || undefined;
  return { userinfo: { username, password }, hosts: authority.slice(at + 1) };
}

/**
 * REDIS_URL names one server (`redis://…`, `rediss://…`) or a Cluster (`redis+cluster://h1:p1,h2:p2`);
 * REDIS_CLUSTER_NODES lists a Cluster's seed nodes (`h1:p1,h2:p2`). With both, REDIS_URL must be a
 * plain URL: its node joins the seeds and its credentials and TLS apply to every node.
 */
export function parseRedisTarget(url: string | undefined, clusterNodes: string | undefined): RedisTargetConfig {
  const cluster = url ? CLUSTER.exec(url) : null;
  if (url && !cluster) {
    if (!SINGLE.test(url)) throw new RedisTargetError("REDIS_URL", "expected redis://host:port or rediss://…, or redis+cluster://host1:port1,host2:port2 for a cluster");
    if (url.includes(",")) throw new RedisTargetError("REDIS_URL", `several hosts name a cluster: ${CLUSTER_HINT}`);
  }
  if (cluster) {
    if (clusterNodes) throw new RedisTargetError("REDIS_CLUSTER_NODES", "set either it or a redis+cluster:// REDIS_URL, not both");
    const [, scheme, rest = ""] = cluster;
    const { userinfo, hosts } = credentials(rest.replace(/\/0?$/, ""));
    if (hosts.includes("/") || hosts.includes("?")) throw new RedisTargetError("REDIS_URL", `a cluster has no database number or options; ${CLUSTER_HINT}`);
    const nodes = parseNodes(hosts, "REDIS_URL", CLUSTER_HINT, 6379);
    return { redisCluster: { nodes, ...userinfo, tls: scheme === "rediss" } };
  }
  if (clusterNodes) {
    const nodes = parseNodes(clusterNodes, "REDIS_CLUSTER_NODES", "expected comma-separated host:port seed nodes, like 10.0.0.1:7000,10.0.0.2:7000");
    if (!url) return { redisCluster: { nodes, tls: false } };
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new RedisTargetError("REDIS_URL", "expected redis://[user:password@]host:port or rediss://…");
    }
    const seed = parseNode(parsed.host, 6379);
    return {
      redisCluster: {
        nodes: seed ? [seed, ...nodes] : nodes,
        username: decodeURIComponent(parsed.username) || undefined,
        password: decodeURIComponent(parsed.password) || undefined,
        tls: parsed.protocol === "rediss:",
      },
    };
  }
  return { redisUrl: url };
}
