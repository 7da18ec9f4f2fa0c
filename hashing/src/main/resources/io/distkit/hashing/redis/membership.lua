-- A group's membership, one operation per call. All keys share the group's hash tag.
-- KEYS[1] members:  hash, node id -> encoded node (the current members)
-- KEYS[2] leases:   sorted set, node id -> lease expiry (epoch ms)
-- KEYS[3] joined:   sorted set, node id -> its position (the version at which it first joined): members are
--                   listed by position, and a member that comes back gets its position again
-- KEYS[4] meta:     hash, 'version' -> the group's version, 'now' -> the latest time seen (epoch ms)
-- KEYS[5] departed: sorted set, node id -> when it left or expired (epoch ms); its position stays in 'joined'
--                   for one key time to live, then both are forgotten
-- ARGV[1] operation: 'heartbeat', 'read' or 'leave'
-- ARGV[2] the caller's time in epoch ms, or '' to use the server's clock
-- ARGV[3] the channel that hears the new version after a change
-- ARGV[4] the keys' time to live in ms (never shortened: the longest-lived caller wins); also how long the
--         positions of departed members are remembered
-- heartbeat: ARGV[5] node id, ARGV[6] encoded node, ARGV[7] lease in ms, ARGV[8] the position the member had
--            ('' when it has none), taken when the group does not remember one
-- leave: ARGV[5] node id
-- Returns {version, position, 1 if this heartbeat (re)joined the member else 0} for heartbeat, {version} for
-- leave, {version, id1, node1, id2, node2, ...} by position for read.
local members, leases, joined, meta, departed = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local op = ARGV[1]
local ttl = tonumber(ARGV[4])

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

-- a departed member's position is remembered for one time to live, so that it gets its place back
local forgotten = redis.call('ZRANGEBYSCORE', departed, '-inf', int(now - ttl))
for _, id in ipairs(forgotten) do
  redis.call('ZREM', departed, id)
  redis.call('ZREM', joined, id)
end

-- a member whose lease ran out has crashed or lost touch: it leaves now
local expired = redis.call('ZRANGEBYSCORE', leases, '-inf', int(now))
for _, id in ipairs(expired) do
  redis.call('HDEL', members, id)
  redis.call('ZREM', leases, id)
  redis.call('ZADD', departed, int(now), id)
  changed = true
end

local id = ARGV[5]
local joining = false
if op == 'heartbeat' then
  local current = redis.call('HGET', members, id)
  if current ~= ARGV[6] then
    redis.call('HSET', members, id, ARGV[6])
    changed = true
    joining = not current
  end
  redis.call('ZADD', leases, int(now + tonumber(ARGV[7])), id)
elseif op == 'leave' then
  if redis.call('HDEL', members, id) == 1 then
    changed = true
    redis.call('ZADD', departed, int(now), id)
  end
  redis.call('ZREM', leases, id)
end

if changed then
  if version == 0 then
    -- a new (or expired and recreated) group counts from its clock in microseconds, so it never repeats a
    -- version an observer saw before
    version = now * 1000
  end
  version = version + 1
  redis.call('HSET', meta, 'version', int(version))
  redis.call('PUBLISH', ARGV[3], int(version))
end
local position
if op == 'heartbeat' then
  position = tonumber(redis.call('ZSCORE', joined, id))
  if not position then
    -- the group forgot it (or never knew it): the place the member remembers, else the end of the list
    position = ARGV[8] ~= '' and tonumber(ARGV[8]) or version
    redis.call('ZADD', joined, int(position), id)
  end
  redis.call('ZREM', departed, id)
end
redis.call('HSET', meta, 'now', int(now))

for _, key in ipairs(KEYS) do
  if redis.call('PTTL', key) < ttl then
    redis.call('PEXPIRE', key, ttl)
  end
end

if op == 'heartbeat' then
  return {version, position, joining and 1 or 0}
elseif op ~= 'read' then
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
