/**
 * Paces work that sends outside an update (pushes, reminders, reports) under Telegram's
 * broadcast limit of about 30 messages a second per bot. The production pacer is the outbox's
 * Redis-wide line (`createSharedPacer` in src/outbox), shared by every instance.
 */
export type Pacer = <T>(send: () => Promise<T>) => Promise<T>;

/** No pacing: for tests of pure flows. */
export const unpaced: Pacer = (send) => send();
