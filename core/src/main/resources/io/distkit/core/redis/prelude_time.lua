-- distkit time prelude: time in microseconds, from the server's clock or the caller's, never backwards.
-- The convention for every script: one argument carries the caller's time in microseconds as decimal text, or
-- '' to read the server's clock (TimeSource.SERVER, the default). Read it once per script, at the top.

-- now in microseconds: the caller's time when given, else the server's TIME (the arithmetic turns TIME's two
-- decimal strings into numbers itself: the same exact integers as tonumber, without two function calls)
local function distkit_now_us(arg)
  if arg and arg ~= '' then
    return tonumber(arg)
  end
  local t = redis.call('TIME')
  return t[1] * 1000000 + t[2]
end

-- now, but never before floor (a time this state already saw: clocks step back, callers' clocks disagree)
local function distkit_not_before(now, floor)
  if floor and floor > now then
    return floor
  end
  return now
end

-- now in microseconds, never before the time last stored in field of hash key, which it then stores: time
-- that only goes forward for everything kept under that key (give the hash a TTL with the rest)
local function distkit_monotonic_us(arg, key, field)
  local now = distkit_not_before(distkit_now_us(arg), tonumber(redis.call('HGET', key, field) or '0'))
  redis.call('HSET', key, field, distkit_int(now))
  return now
end
