import { defineScript } from "../shared/redis-scripts.js";

/** The durable timers' Lua scripts (keys under `{timers}`: due set, payloads, attempts, group index), run by `timers.repository.ts`. */

/** Lua: removes the timers `ids` from KEYS[1…4] (due set, payloads, attempts, group index). */
const FORGET = `
local function forget(ids)
  redis.call('ZREM', KEYS[1], unpack(ids))
  redis.call('HDEL', KEYS[2], unpack(ids))
  redis.call('HDEL', KEYS[3], unpack(ids))
  redis.call('ZREM', KEYS[4], unpack(ids))
end
`;

/**
 * Lua: of the leases in ARGV from `first` on, `stride` arguments each (id, lease end, …), the positions in ARGV of the
 * ids whose lease is still held (their due time in KEYS[1] is still that lease's end: not taken or set again since).
 */
const HELD = `
local function held(first, stride)
  local ids = {}
  for i = first, #ARGV, stride do table.insert(ids, ARGV[i]) end
  local scores = redis.call('ZMSCORE', KEYS[1], unpack(ids))
  local out = {}
  for i = 1, #ids do
    local at = first + (i - 1) * stride
    if scores[i] and tonumber(scores[i]) == tonumber(ARGV[at + 1]) then table.insert(out, at) end
  end
  return out
end
`;

/**
 * Leases up to ARGV[2] timers due by ARGV[1] instead of removing them: each one's due time moves forward by
 * its lease (ARGV[3] ms, doubled per earlier attempt, at most ARGV[4] ms) and its attempt is counted. Only
 * `ack` removes a timer, so one whose handler crashed comes back when its lease ends. Returns id, lease end,
 * payload, attempt for each; a due id without payload is an orphan and is removed. A handful of commands per
 * take, whatever its size (HMGET, one ZADD and one HSET for all).
 */
export const TAKE_DUE = defineScript("schedule.take-due", 4, `${FORGET}
local now = tonumber(ARGV[1])
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
if #due == 0 then return {} end
local raws = redis.call('HMGET', KEYS[2], unpack(due))
local tries = redis.call('HMGET', KEYS[3], unpack(due))
local out, leases, counts, orphans = {}, {}, {}, {}
for i = 1, #due do
  local id = due[i]
  if raws[i] then
    local attempt = (tonumber(tries[i]) or 0) + 1
    local untilAt = now + math.min(tonumber(ARGV[3]) * 2 ^ math.min(attempt - 1, 20), tonumber(ARGV[4]))
    table.insert(leases, untilAt)
    table.insert(leases, id)
    table.insert(counts, id)
    table.insert(counts, attempt)
    table.insert(out, id)
    table.insert(out, tostring(untilAt))
    table.insert(out, raws[i])
    table.insert(out, tostring(attempt))
  else
    table.insert(orphans, id)
  end
end
if #leases > 0 then
  redis.call('ZADD', KEYS[1], unpack(leases))
  redis.call('HSET', KEYS[3], unpack(counts))
end
if #orphans > 0 then forget(orphans) end
return out
`);

/**
 * Removes the leased timers (ARGV: id, lease end, …) that still have that lease (not set again meanwhile).
 * Returns the ids removed.
 */
export const ACK = defineScript("schedule.ack", 4, `${FORGET}${HELD}
local gone = {}
for _, at in ipairs(held(1, 2)) do table.insert(gone, ARGV[at]) end
if #gone == 0 then return {} end
forget(gone)
return gone
`);

/** Moves the leases (ARGV[2…]: id, lease end, …) still held to end at ARGV[1]; returns the ids moved. */
export const EXTEND = defineScript("schedule.extend", 1, `${HELD}
local moved, leases = {}, {}
for _, at in ipairs(held(2, 2)) do
  table.insert(moved, ARGV[at])
  table.insert(leases, ARGV[1])
  table.insert(leases, ARGV[at])
end
if #leases > 0 then redis.call('ZADD', KEYS[1], unpack(leases)) end
return moved
`);

/**
 * Gives leases back untried (ARGV: id, lease end, due time, attempts before, …): each still held is due again
 * at its own time and its attempt is not counted. For timers a tick took but had no time left to run.
 */
export const RELEASE = defineScript("schedule.release", 2, `${HELD}
local due, counts = {}, {}
for _, at in ipairs(held(1, 4)) do
  table.insert(due, ARGV[at + 2])
  table.insert(due, ARGV[at])
  table.insert(counts, ARGV[at])
  table.insert(counts, ARGV[at + 3])
end
if #due > 0 then
  redis.call('ZADD', KEYS[1], unpack(due))
  redis.call('HSET', KEYS[2], unpack(counts))
end
return #due / 2
`);

/** Re-points one pending timer's payload to a moved group, if it is still pending with the payload read. */
export const MOVE_TIMER = defineScript("schedule.move-timer", 3, `
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
return 1
`);
