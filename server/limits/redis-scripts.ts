// The Lua scripts of the Redis counter store: each runs atomically in Redis, so several hubs
// counting into the same keys never overshoot a limit. Numbers cross the Lua boundary as strings
// ('%.17g'): Redis would truncate a Lua number in a reply to an integer, and budgets are
// fractional. The semantics are MemoryCounterStore's, op for op (the contract test runs both).
//
// A window counter is a string (INCRBYFLOAT) that expires at its window's end (PEXPIREAT).
// A bucket is a hash {l: level, t: instant of the level, e: when it has drained} that expires
// when drained.

/**
 * KEYS: one per op. ARGV: now, then per op 4 values: 'w' amount max expiresAt | 'b' amount capacity refillPerMs.
 * Reply: {refused (-1 or the 0-based index), used...} — used up to and including the refused op.
 */
export const CHECK_AND_ADD = `
local now = tonumber(ARGV[1])
local n = #KEYS
local used = {}
for i = 1, n do
  local a = 2 + (i - 1) * 4
  local amount = tonumber(ARGV[a + 1])
  local limit = tonumber(ARGV[a + 2])
  local u = 0
  local fits
  if ARGV[a] == 'w' then
    u = tonumber(redis.call('GET', KEYS[i]) or '0') or 0
    if amount == 0 then fits = u < limit else fits = u + amount <= limit end
  else
    local h = redis.call('HMGET', KEYS[i], 'l', 't')
    local level = tonumber(h[1] or '0') or 0
    local at = tonumber(h[2] or '0') or 0
    local elapsed = now - at
    if elapsed < 0 then elapsed = 0 end
    u = level - elapsed * tonumber(ARGV[a + 3])
    if u < 0 then u = 0 end
    fits = u + amount <= limit + 1e-9
  end
  used[i] = u
  if not fits then
    local out = {i - 1}
    for j = 1, i do out[j + 1] = string.format('%.17g', used[j]) end
    return out
  end
end
local out = {-1}
for i = 1, n do
  local a = 2 + (i - 1) * 4
  local amount = tonumber(ARGV[a + 1])
  local u = used[i]
  if amount ~= 0 then
    if ARGV[a] == 'w' then
      u = tonumber(redis.call('INCRBYFLOAT', KEYS[i], ARGV[a + 1]))
      redis.call('PEXPIREAT', KEYS[i], ARGV[a + 3])
    else
      u = u + amount
      local e = now + u / tonumber(ARGV[a + 3])
      redis.call('HSET', KEYS[i], 'l', string.format('%.17g', u), 't', ARGV[1], 'e', string.format('%.17g', e))
      redis.call('PEXPIREAT', KEYS[i], math.ceil(e))
    end
  end
  out[i + 1] = string.format('%.17g', u)
end
return out`;

/**
 * Adds to a window counter without a limit, never below 0. KEYS: the counter. ARGV: amount, expiresAt.
 * Reply: the new count as a string. (The caller answers 0 without a call for an ended window.)
 */
export const ADD = `
local existed = redis.call('EXISTS', KEYS[1]) == 1
local v = tonumber(redis.call('INCRBYFLOAT', KEYS[1], ARGV[1]))
if v <= 0 then
  if not existed then
    redis.call('DEL', KEYS[1])
    return '0'
  end
  v = 0
  redis.call('SET', KEYS[1], '0')
end
redis.call('PEXPIREAT', KEYS[1], ARGV[2])
return string.format('%.17g', v)`;
