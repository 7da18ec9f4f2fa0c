-- A group's membership, one operation per call. All keys share the group's hash tag. Runs behind core's
-- preludes (LuaPrelude.LEASES, LuaPrelude.FENCING, and the TIME and FORMAT preludes they bring): every time is in
-- microseconds, read once with distkit_monotonic_us, so it never goes backwards for a group.
-- KEYS[1] members:  hash, node id -> the node as the members' codec wrote it, behind its format byte (1)
-- KEYS[2] leases:   a lease set (core's lease prelude): node id -> lease expiry (µs)
-- KEYS[3] joined:   sorted set, node id -> its position (the version at which it first joined): members are
--                   listed by position, and a member that comes back gets its position again
-- KEYS[4] meta:     hash, 'format' -> the group's layout (a format-1 value: one byte), 'now' -> the latest time
--                   seen (µs)
-- KEYS[5] departed: sorted set, node id -> when it left or expired (µs); its position stays in 'joined' for one
--                   key time to live, then both are forgotten
-- KEYS[6] version:  the group's version, a fencing token (core's fencing prelude): max(last + 1, now in µs), so
--                   it only grows, also when a failover or an expiry loses the key
-- ARGV[1] operation: 'heartbeat', 'read' or 'leave'
-- ARGV[2] the time argument (core's RedisTime: '' for the server's clock, else the caller's µs)
-- ARGV[3] the channel that hears the new version after a change
-- ARGV[4] the command that announces it: 'PUBLISH', or 'SPUBLISH' where subscribers use sharded pub/sub
-- ARGV[5] the keys' time to live in ms (never shortened: the longest-lived caller wins); also how long the
--         positions of departed members are remembered
-- heartbeat: ARGV[6] node id, ARGV[7] the stored node, ARGV[8] lease in µs, ARGV[9] the position the member had
--            ('' when it has none), taken when the group does not remember one
-- leave: ARGV[6] node id
-- Returns {version, position, 1 if this heartbeat (re)joined the member else 0} for heartbeat, {version} for
-- leave, {version, id1, node1, id2, node2, ...} by position for read.
local members, leases, joined, meta, departed, version_key = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local op = ARGV[1]
local ttl = tonumber(ARGV[5])
-- a lease set of a group admits every member: no cap on holders
local ANY_NUMBER = 4503599627370496

local layout = redis.call('HGET', meta, 'format')
if layout then
  distkit_payload(layout, 1, 'membership group ' .. meta)
else
  redis.call('HSET', meta, 'format', distkit_versioned(1, ''))
end

local now = distkit_monotonic_us(ARGV[2], meta, 'now')
local version
local raw_version = redis.call('GET', version_key)
if raw_version then
  version = tonumber(distkit_payload(raw_version, 1, 'membership version ' .. version_key))
else
  -- a new group, or one Redis lost (it expired, or a failover or restart lost it): its first version is the
  -- clock, so it is newer than every version an observer may have seen of the group before
  version = distkit_next_token(version_key, now, ttl)
end
local changed = false

-- a departed member's position is remembered for one time to live, so that it gets its place back
local forgotten = redis.call('ZRANGEBYSCORE', departed, '-inf', distkit_int(now - ttl * 1000))
for _, id in ipairs(forgotten) do
  redis.call('ZREM', departed, id)
  redis.call('ZREM', joined, id)
end

-- a member whose lease ran out has crashed or lost touch: it leaves now
local expired = redis.call('ZRANGEBYSCORE', leases, '-inf', distkit_int(now))
for _, id in ipairs(expired) do
  if redis.call('HDEL', members, id) == 1 then
    redis.call('ZADD', departed, distkit_int(now), id)
    changed = true
  end
end
distkit_lease_purge(leases, now)

local id = ARGV[6]
local joining = false
if op == 'heartbeat' then
  local current = redis.call('HGET', members, id)
  if current ~= ARGV[7] then
    redis.call('HSET', members, id, ARGV[7])
    changed = true
    joining = not current
  end
  distkit_lease_acquire(leases, id, now, tonumber(ARGV[8]), ANY_NUMBER)
elseif op == 'leave' then
  if redis.call('HDEL', members, id) == 1 then
    changed = true
    redis.call('ZADD', departed, distkit_int(now), id)
  end
  distkit_lease_release(leases, id, now)
end

if changed then
  local keep = redis.call('PTTL', version_key)
  version = distkit_next_token(version_key, now, keep > ttl and keep or ttl)
  redis.call(ARGV[4], ARGV[3], distkit_int(version))
end
local position
if op == 'heartbeat' then
  position = tonumber(redis.call('ZSCORE', joined, id))
  if not position then
    -- the group forgot it (or never knew it): the place the member remembers, else the end of the list
    position = ARGV[9] ~= '' and tonumber(ARGV[9]) or version
    redis.call('ZADD', joined, distkit_int(position), id)
  end
  redis.call('ZREM', departed, id)
end

for _, key in ipairs(KEYS) do
  distkit_keep_for(key, ttl)
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
