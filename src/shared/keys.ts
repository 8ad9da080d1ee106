/**
 * Redis key naming. Every key that belongs to one group carries the hash tag `{g<chatId>}`, so a
 * group's keys share a Redis Cluster slot and Lua scripts over them never span slots.
 */
const PREFIX = "sx";

export function groupKey(chatId: number, ...parts: (string | number)[]): string {
  return [`${PREFIX}:{g${chatId}}`, ...parts].join(":");
}

export function userKey(userId: number, ...parts: (string | number)[]): string {
  return [`${PREFIX}:{u${userId}}`, ...parts].join(":");
}

/** Keys not tied to one group or user (indexes, counters). */
export function globalKey(...parts: (string | number)[]): string {
  return [PREFIX, ...parts].join(":");
}
