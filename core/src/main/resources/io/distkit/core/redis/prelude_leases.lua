-- distkit lease prelude (needs the time prelude): a lease set is a sorted set whose members are lease ids
-- and whose scores are expiry times in microseconds, by the same clock as the scripts' now. A lease is held
-- while its score is in the future; an expired member is dead even before a purge removes it.

-- removes expired leases; returns how many
local function distkit_lease_purge(key, now)
  return redis.call('ZREMRANGEBYSCORE', key, '-inf', distkit_int(now))
end

-- adds (or extends) lease id for ttl_us without looking at the other holders: for a script that has checked
-- there is room itself; returns the expiry
local function distkit_lease_grant(key, id, now, ttl_us)
  local expiry = now + ttl_us
  redis.call('ZADD', key, distkit_int(expiry), id)
  distkit_keep_for(key, math.ceil(ttl_us / 1000) + 1000)
  return expiry
end

-- takes (or renews) lease id for ttl_us if fewer than max_holders other live leases exist; returns the expiry,
-- or 0 when the set is full
local function distkit_lease_acquire(key, id, now, ttl_us, max_holders)
  distkit_lease_purge(key, now)
  if not redis.call('ZSCORE', key, id) and redis.call('ZCARD', key) >= max_holders then
    return 0
  end
  return distkit_lease_grant(key, id, now, ttl_us)
end

-- extends a live lease to now + ttl_us; returns the new expiry, or 0 when the lease is gone (expired,
-- released or taken away): a dead lease is never brought back
local function distkit_lease_renew(key, id, now, ttl_us)
  local score = redis.call('ZSCORE', key, id)
  if not score or tonumber(score) <= now then
    if score then
      redis.call('ZREM', key, id)
    end
    return 0
  end
  local expiry = now + ttl_us
  redis.call('ZADD', key, 'XX', distkit_int(expiry), id)
  distkit_keep_for(key, math.ceil(ttl_us / 1000) + 1000)
  return expiry
end

-- ends a lease; returns 1 if it was live
local function distkit_lease_release(key, id, now)
  local score = redis.call('ZSCORE', key, id)
  redis.call('ZREM', key, id)
  if score and tonumber(score) > now then
    return 1
  end
  return 0
end
