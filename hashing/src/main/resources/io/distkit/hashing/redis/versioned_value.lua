-- One replica's copy of a RedisShardRouter value: read it, or replace it only with a newer version.
-- A stored value is: byte 1 the format (1), bytes 2-9 the version and 10-17 the writer id (both big-endian,
-- compared as one unsigned 16-byte number: the newest wins), byte 18 the kind (0 value, 1 tombstone), then the
-- value. (Lua counts from 1; VersionedValue documents the same layout from 0.)
-- KEYS[1] the key
-- ARGV[1] 'get', or 'put'
-- put: ARGV[2] the new stored value, ARGV[3] its time to live in ms, ARGV[4] '1' to keep the current value's
--      remaining time to live when that is longer (tombstones outlive what they delete), else '0'
-- Returns, for get: {stored value or nil, remaining ms (PTTL)} (the caller checks the format); for put: {1} when
-- written, or {0, the 16 version bytes of the current value} when that is as new or newer (nothing written).
local key = KEYS[1]
local FORMAT = 1
local HEADER = 18

local function check(stored)
  if string.byte(stored, 1) ~= FORMAT or #stored < HEADER then
    return redis.error_reply('DISTKIT_FORMAT the key holds ' .. #stored .. ' bytes that are not a RedisShardRouter '
      .. 'value of format ' .. FORMAT .. ' (first byte ' .. tostring(string.byte(stored, 1)) .. '): not overwritten')
  end
  return nil
end

if ARGV[1] == 'get' then
  -- the caller checks the format, and names the key when it is not ours
  return {redis.call('GET', key), redis.call('PTTL', key)}
end

local incoming = ARGV[2]
local current = redis.call('GET', key)
if current then
  local bad = check(current)
  if bad then
    return bad
  end
  -- bytes 2 to 17, most significant first: the first byte that differs decides
  for i = 2, HEADER - 1 do
    local have, new = string.byte(current, i), string.byte(incoming, i)
    if have ~= new then
      if have > new then
        return {0, string.sub(current, 2, HEADER - 1)}
      end
      break
    end
    if i == HEADER - 1 then
      return {0, string.sub(current, 2, HEADER - 1)}
    end
  end
end
local ttl = tonumber(ARGV[3])
if current and ARGV[4] == '1' then
  local left = redis.call('PTTL', key)
  if left > ttl then
    ttl = left
  end
end
redis.call('SET', key, incoming, 'PX', ttl)
return {1}
