-- distkit core prelude: helpers every prelude uses. RedisScript puts it first whenever a script asks for one.
-- Lua numbers are doubles: integers are exact below 2^53, which every distkit value stays under.

-- an integer as decimal text (tostring() would switch to exponent notation above 1e14)
local function distkit_int(n)
  return string.format('%.0f', n)
end

-- sets a key's time to live to at least ttl_ms; never shortens it (the longest-lived caller wins)
local function distkit_keep_for(key, ttl_ms)
  if redis.call('PTTL', key) < ttl_ms then
    redis.call('PEXPIRE', key, ttl_ms)
  end
end

-- keeps an existing key for about ttl_ms, for keys written on (nearly) every call: refreshes the time to live only
-- once a thousandth of ttl_ms has passed since (so the key lives ttl_ms, less at most a thousandth, after its last
-- write), never shortens a longer one, and leaves an absent key alone; returns 1 when it refreshed
local function distkit_keep_about(key, ttl_ms)
  local ttl = redis.call('PTTL', key)
  if ttl == -2 or ttl >= ttl_ms - math.max(1, math.floor(ttl_ms / 1000)) then
    return 0
  end
  redis.call('PEXPIRE', key, ttl_ms)
  return 1
end
