import type { Redis } from "ioredis";

/** Counts the commands a client sends; pipelined and transaction ones too (each passes `sendCommand`). */
export function countCommands(redis: Redis): { count(): number; reset(): void; restore(): void } {
  const original = redis.sendCommand.bind(redis);
  let n = 0;
  redis.sendCommand = ((...args: Parameters<Redis["sendCommand"]>) => {
    n++;
    return original(...args);
  }) as Redis["sendCommand"];
  return {
    count: () => n,
    reset: () => void (n = 0),
    restore: () => void (redis.sendCommand = original),
  };
}
