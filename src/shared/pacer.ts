import pThrottle from "p-throttle";

/**
 * Paces work that sends outside an update (pushes, reminders, reports) under Telegram's
 * broadcast limit of about 30 messages a second per bot.
 */
export type Pacer = <T>(send: () => Promise<T>) => Promise<T>;

export function createPacer(perSecond = 25): Pacer {
  const throttle = pThrottle({ limit: perSecond, interval: 1000, strict: true });
  const run = throttle(<T>(send: () => Promise<T>) => send());
  return <T>(send: () => Promise<T>) => run(send) as Promise<T>;
}

/** No pacing: for tests of pure flows. */
export const unpaced: Pacer = (send) => send();
