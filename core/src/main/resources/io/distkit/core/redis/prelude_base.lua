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
