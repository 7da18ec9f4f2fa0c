-- A token bucket or GCRA of one bandwidth, the common case, as one short script: no tables, no closures of its
-- own, and of core's TIME prelude only the two helpers it calls (distkit_now_us, distkit_not_before), so that
-- Redis spends as little time on a decision as it can (INFO commandstats: about half the time of
-- prelude.lua + deficit.lua + gcra.lua). It reads and writes exactly the value the general scripts do
-- for one bandwidth, and makes the same decisions (a key may switch between a limit of one bandwidth and one of
-- several: both scripts read each other's value).
-- KEYS[1] the key. ARGV: now in us ('' for the server's clock), permits, and the limit packed in one argument
-- (fewer arguments, less to send and parse): a flags byte (1: GCRA, else token bucket; 2: reply
-- {reason, remaining, retry_after_us, reset_after_us}, else the reason alone: 0 allowed, 1 rate limited,
-- 2 exceeds capacity), then burst, a and b (a/b permits per us) as little-endian doubles.
-- Stored: a version byte (1), then four little-endian doubles: GCRA {a, b, tat, rem} (the deficit is paid off
-- at tat + rem/a us), token bucket {a, b, last, deficit} (the deficit as of the last grant, at time last).
-- A value of another shape, another version, or numbers this script could not have written counts as absent.
local key = KEYS[1]
local now = distkit_now_us(ARGV[1])
local ttl_margin = 0
if ARGV[1] ~= '' then
  ttl_margin = 60000000 -- client time: Redis expires by its own clock, keep keys a minute longer
end
local n = tonumber(ARGV[2])
local flags, burst, a, b = struct.unpack('<Bddd', ARGV[3])
local gcra, whole = flags % 2 == 1, flags >= 2
local full = burst * b
local horizon = -math.floor(-full / a) -- how long an empty bucket takes to refill, us
local d = 0
local unreadable, far_ahead = false, false

local raw = redis.call('GET', key)
if raw then
  local x1, x2, x3, x4
  local ok = false
  if #raw == 33 and raw:byte(1) == 1 then
    x1, x2, x3, x4 = struct.unpack('<dddd', raw, 2)
    ok = x1 >= 1 and x2 >= 1 and x3 >= 0 and x4 >= 0 and x1 < 9007199254740992 and x2 < 9007199254740992
      and x3 < 9007199254740992 and x4 < 9007199254740992 and x1 % 1 == 0 and x2 % 1 == 0 and x3 % 1 == 0
      and x4 % 1 == 0
  elseif #raw > 33 and (#raw - 1) % 32 == 0 and raw:byte(1) == 1 then
    -- written under a limit of several bandwidths: this limit's one bandwidth is the first
    local values = {struct.unpack('<' .. string.rep('d', (#raw - 1) / 8), raw, 2)}
    ok = values[1] >= 1 and values[2] >= 1
    for i = 1, (#raw - 1) / 8 do
      local v = values[i]
      ok = ok and v >= 0 and v < 9007199254740992 and v % 1 == 0
    end
    x1, x2, x3, x4 = values[1], values[2], values[3], values[4]
  end
  if ok then
    local old -- the deficit now, counted at the rate the value was written with (x1/x2)
    if gcra then
      if x3 >= now then
        local ahead = x3 - now
        if ahead > 9007199254740991 / x1 then
          old = -1
        else
          old = ahead * x1 + x4
        end
      end
    else
      far_ahead = x3 - now > horizon
      now = distkit_not_before(now, x3) -- time went back: decide as of the last grant
      local elapsed = now - x3
      if x4 > 0 and elapsed < -math.floor(-x4 / x1) then
        old = x4 - elapsed * x1
      end
    end
    if old then
      if x1 == a and x2 == b then
        if old < 0 or old > full then
          far_ahead = gcra
          d = full
        else
          d = old
        end
      else
        -- another rate: the whole permits owed, rounded up, at most a burst
        local owed = old < 0 and burst or -math.floor(-old / x2)
        d = owed >= burst and full or owed * b
      end
    end
  else
    unreadable = true
  end
end

local cost = n * b
local reason = 0
if n > burst then
  reason = 2
elseif d + cost > full then
  reason = 1
end
local after = d
if reason == 0 then
  after = d + cost
  local ttl = string.format('%.0f', -math.floor(-(-math.floor(-after / a) + ttl_margin) / 1000))
  if gcra then
    local q = math.floor(after / a)
    redis.call('SET', key, struct.pack('<Bdddd', 1, a, b, now + q, after - q * a), 'PX', ttl)
  else
    redis.call('SET', key, struct.pack('<Bdddd', 1, a, b, now, after), 'PX', ttl)
  end
elseif unreadable then
  redis.call('DEL', key)
elseif far_ahead and redis.call('PTTL', key) == -1 then
  redis.call('PEXPIRE', key, string.format('%.0f', -math.floor(-(horizon + ttl_margin) / 1000)))
end
if not whole then
  return reason
end
local retry = 0
if reason == 1 then
  retry = -math.floor(-(d + cost - full) / a)
end
return {reason, math.floor((full - after) / b), retry, -math.floor(-after / a)}
