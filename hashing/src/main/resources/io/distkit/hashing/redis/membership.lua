-- A group's membership, one operation per call. All keys share the group's hash tag.
-- KEYS[1] members: hash, node id -> encoded node
-- KEYS[2] leases:  sorted set, node id -> lease expiry (epoch ms)
-- KEYS[3] joined:  sorted set, node id -> the version at which it joined (join order)
-- KEYS[4] meta:    hash, 'version' -> the group's version, 'now' -> the latest time seen (epoch ms)
-- ARGV[1] operation: 'heartbeat', 'read' or 'leave'
-- ARGV[2] the caller's time in epoch ms, or '' to use the server's clock
-- ARGV[3] the channel that hears the new version after a change
-- ARGV[4] the keys' time to live in ms (never shortened: the longest-lived caller wins)
-- ARGV[5] node id, ARGV[6] encoded node, ARGV[7] lease in ms (heartbeat); ARGV[5] node id (leave)
-- Returns {version} for heartbeat and leave, {version, id1, node1, id2, node2, ...} in join order for read.
local members, leases, joined, meta = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local op = ARGV[1]

-- numbers above 10^14 would be written in exponent form: format them as integers
local function int(n)
  return string.format('%.0f', n)
end

local now
if ARGV[2] == '' then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
else
  now = tonumber(ARGV[2])
end
-- time never goes backwards for a group, whoever's clock is behind
local latest = tonumber(redis.call('HGET', meta, 'now') or '0')
if now < latest then
  now = latest
end
local version = tonumber(redis.call('HGET', meta, 'version') or '0')
local changed = false

-- a member whose lease ran out has crashed or lost touch: it leaves now
local expired = redis.call('ZRANGEBYSCORE', leases, '-inf', int(now))
for _, id in ipairs(expired) do
  redis.call('HDEL', members, id)
  redis.call('ZREM', leases, id)
  redis.call('ZREM', joined, id)
  changed = true
end

local id = ARGV[5]
if op == 'heartbeat' then
  if redis.call('HGET', members, id) ~= ARGV[6] then
    redis.call('HSET', members, id, ARGV[6])
    changed = true
  end
  redis.call('ZADD', leases, int(now + tonumber(ARGV[7])), id)
elseif op == 'leave' then
  if redis.call('HDEL', members, id) == 1 then
    changed = true
  end
  redis.call('ZREM', leases, id)
  redis.call('ZREM', joined, id)
end

if changed then
  if version == 0 then
    -- a new (or expired and recreated) group counts from its clock in microseconds, so it never repeats a
    -- version an observer saw before
    version = now * 1000
  end
  version = version + 1
  redis.call('HSET', meta, 'version', int(version))
  if op == 'heartbeat' and not redis.call('ZSCORE', joined, id) then
    redis.call('ZADD', joined, int(version), id)
  end
  redis.call('PUBLISH', ARGV[3], int(version))
end
redis.call('HSET', meta, 'now', int(now))

local ttl = tonumber(ARGV[4])
for _, key in ipairs(KEYS) do
  if redis.call('PTTL', key) < ttl then
    redis.call('PEXPIRE', key, ttl)
  end
end

if op ~= 'read' then
  return {version}
end
local reply = {version}
for _, member in ipairs(redis.call('ZRANGE', joined, 0, -1)) do
  local node = redis.call('HGET', members, member)
  if node then
    reply[#reply + 1] = member
    reply[#reply + 1] = node
  end
end
return reply
