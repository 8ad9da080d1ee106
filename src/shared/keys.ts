/**
 * Redis key naming. Every key that belongs to one group carries the hash tag `{g<chatId>}`, so a
 * group's keys share a Redis Cluster slot and Lua scripts over them never span slots.
 */
const PREFIX = "sx";

export function groupKey(chatId: number, ...parts: (string | number)[]): string {
  return joined(`${PREFIX}:{g${chatId}}`, parts);
}

export function userKey(userId: number, ...parts: (string | number)[]): string {
  return joined(`${PREFIX}:{u${userId}}`, parts);
}

// A press builds a dozen keys: concatenation, not an array spread and a join each.
function joined(head: string, parts: readonly (string | number)[]): string {
  let key = head;
  for (const part of parts) key += `:${part}`;
  return key;
}

/** Keys not tied to one group or user (indexes, counters). */
export function globalKey(...parts: (string | number)[]): string {
  return [PREFIX, ...parts].join(":");
}
