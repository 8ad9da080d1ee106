import type { Redis } from "../shared/redis.js";
import { defineScript } from "../shared/redis-scripts.js";
import { groupKey } from "../shared/keys.js";
import { createTimersRepository } from "./timers.repository.js";

export { TIMER_LEASE_MS, type Lease, type LeasedTimer, type TimerEntry } from "./timers.repository.js";

const CLAIM_TTL_MS = 40 * 24 * 3600 * 1000; // well past any grace window: never deleted early
/** A slot's claim: `run|owner|claimedAt` while its work is being handed over, `done|owner|at` after. */
const CLAIM_SLOT = defineScript("schedule.claim-slot", 1, `
local cur = redis.call('GET', KEYS[1])
if not cur then
  redis.call('SET', KEYS[1], 'run|' .. ARGV[1] .. '|' .. ARGV[2], 'PX', ARGV[4])
  return 1
end
local state, owner, at = string.match(cur, '^(%a+)|(.*)|(%d+)$')
if state ~= 'run' then return 0 end
if tonumber(at) > tonumber(ARGV[2]) - tonumber(ARGV[3]) then return 0 end
redis.call('SET', KEYS[1], 'run|' .. ARGV[1] .. '|' .. ARGV[2], 'PX', ARGV[4])
return 2
`);

/** Gives a claim up (its work failed here) if it is still this owner's, so the next tick claims it again. */
const RELEASE_SLOT = defineScript("schedule.release-slot", 1, `
local cur = redis.call('GET', KEYS[1])
if cur and string.sub(cur, 1, #ARGV[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

/** How long a claimed slot's work may take before another tick takes the claim over. */
export const SLOT_LEASE_MS = 60_000;

/** Slot claims, and the durable timers (`timers.repository.ts`). */
export function createScheduleRepository(redis: Redis) {
  return {
    /**
     * True for one caller per group, slot key and slot time at a time, across instances: the first, or
     * the one that takes over a claim whose work was not marked done within SLOT_LEASE_MS (a crash
     * between claim and hand-over). The slot's work must therefore be idempotent.
     */
    async claimSlot(groupId: number, slotKey: string, slotAt: number, owner: string, now = Date.now()): Promise<boolean> {
      const key = groupKey(groupId, "slot", slotKey, slotAt);
      const r = Number(await CLAIM_SLOT.run(redis, 1, key, owner, String(now), String(SLOT_LEASE_MS), String(CLAIM_TTL_MS)));
      return r > 0;
    },

    /** The claimed slot's work is handed over (enqueued): nobody takes it over any more. */
    async slotDone(groupId: number, slotKey: string, slotAt: number, owner: string, now = Date.now()): Promise<void> {
      await redis.set(groupKey(groupId, "slot", slotKey, slotAt), `done|${owner}|${now}`, "PX", CLAIM_TTL_MS);
    },

    /** The claimed slot's work failed here: the claim goes, so the next tick (here or elsewhere) tries again. */
    async releaseSlot(groupId: number, slotKey: string, slotAt: number, owner: string): Promise<void> {
      await RELEASE_SLOT.run(redis, 1, groupKey(groupId, "slot", slotKey, slotAt), `run|${owner}|`);
    },

    ...createTimersRepository(redis),
  };
}

export type ScheduleRepository = ReturnType<typeof createScheduleRepository>;
