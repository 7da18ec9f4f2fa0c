-- distkit fencing prelude (needs the time prelude): tokens for a resource that only grow, across holders,
-- client restarts and failovers. The key holds the last token given (format 1: version byte, decimal text).
-- A token is max(last + 1, now in microseconds): if the key is lost (a failover before replication, an
-- expiry), the clock still puts the next token above every earlier one, as long as the new master's clock is
-- not behind the time the lost token was given and tokens are not handed out faster than one per microsecond.

-- the next token for the resource whose last token is stored at key; keeps the key for at least ttl_ms
local function distkit_next_token(key, now_us, ttl_ms)
  local raw = redis.call('GET', key)
  local last = 0
  if raw then
    last = tonumber(distkit_payload(raw, 1, 'fencing token ' .. key))
  end
  local token = last + 1
  if now_us > token then
    token = now_us
  end
  redis.call('SET', key, distkit_versioned(1, distkit_int(token)), 'PX', ttl_ms)
  return token
end
