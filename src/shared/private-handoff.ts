import type { Redis } from "./redis.js";

/**
 * Records that must reach an organiser privately, when Telegram will not let the bot write to them yet:
 * the group gets a deep-link button (`https://t.me/<bot>?start=<kind>_<groupId>[_<id>]`), the record waits in
 * Redis under the feature's own key, and the feature's `/start <payload>` handler takes it once. One shape for
 * every feature (exports, sign-in lists, secretaries' names), so each only says what it keeps and for whom.
 */

/** Telegram allows 64 characters of A-Za-z0-9_- in a start payload; kinds are short lower-case words. */
export function handoffPayload(kind: string, groupId: number, id?: number): string {
  return id === undefined ? `${kind}_${groupId}` : `${kind}_${groupId}_${id}`;
}

export function handoffLink(botUsername: string, payload: string): string {
  return `https://t.me/${botUsername}?start=${payload}`;
}

/** An inline keyboard of one URL button that opens the private chat with the payload. */
export function handoffKeyboard(botUsername: string, payload: string, label: string) {
  return { inline_keyboard: [[{ text: label, url: handoffLink(botUsername, payload) }]] };
}

/** The group (and the optional id) of a payload of this kind, or undefined when it is not one. */
export function parseHandoff(kind: string, payload: string): { groupId: number; id?: number } | undefined {
  const m = new RegExp(`^${kind}_(-?\\d{1,20})(?:_(\\d{1,15}))?$`).exec(payload.trim());
  if (!m) return undefined;
  const groupId = Number(m[1]);
  const id = m[2] === undefined ? undefined : Number(m[2]);
  if (!Number.isSafeInteger(groupId) || (id !== undefined && !Number.isSafeInteger(id))) return undefined;
  return id === undefined ? { groupId } : { groupId, id };
}

/** The Redis half: a value kept under a key the feature's repository names, taken at most once. */
export function createHandoffStore(redis: Redis) {
  return {
    async keep(key: string, value: string, ttlMs: number): Promise<void> {
      await redis.set(key, value, "PX", ttlMs);
    },
    /** Atomic: two Starts at once (or two instances) deliver it once. */
    async take(key: string): Promise<string | undefined> {
      return (await redis.getdel(key)) ?? undefined;
    },
  };
}
