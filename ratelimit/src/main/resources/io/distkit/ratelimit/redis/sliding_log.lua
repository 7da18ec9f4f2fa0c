-- Sliding log. Mirrors SlidingLogState.java.
-- Per bandwidth ARGV: limit, period (us); then a random nonce that makes this call's members unique.
-- A sorted set holds one member per admitted permit, scored by its time; a bandwidth's count is ZCOUNT of
-- the members newer than now - period.
-- Members are '<version>:<nonce>:<k>' (format version 1). A set whose newest member is not ours, or lies more
-- than a period in the future, is not a log this script wrote: it counts as absent and is deleted.
local key = KEYS[1]
local bw, exceeds = read_bandwidths({'limit', 'period'}, 'limit')
local limit, period, count = bw.limit, bw.period, {}
local max_period = math.max(unpack(period))
local nonce = ARGV[3 + 2 * m + 1]
local newest = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
local now = distkit_now_us(ARGV[1])
if newest[2] then
  if string.sub(newest[1], 1, 2) ~= VERSION .. ':' or tonumber(newest[2]) > now + max_period then
    redis.call('DEL', key)
    newest = {}
  else
    now = distkit_not_before(now, tonumber(newest[2])) -- time went back: decide as of the newest entry
  end
end

redis.call('ZREMRANGEBYSCORE', key, '-inf', distkit_int(now - max_period))
local granted = not exceeds
for i = 1, m do
  count[i] = redis.call('ZCOUNT', key, '(' .. distkit_int(now - period[i]), '+inf')
  if not exceeds and count[i] + permits > limit[i] then
    granted = false
  end
end

local remaining, retry = math.huge, 0
for i = 1, m do
  local counted = count[i]
  if granted then
    counted = counted + permits
  elseif not exceeds and counted + permits > limit[i] then
    -- the k-th oldest entry in the window must leave it first
    local k = counted + permits - limit[i]
    local entry = redis.call('ZRANGEBYSCORE', key, '(' .. distkit_int(now - period[i]), '+inf', 'WITHSCORES',
      'LIMIT', k - 1, 1)
    retry = math.max(retry, tonumber(entry[2]) + period[i] - now)
  end
  remaining = math.min(remaining, limit[i] - counted)
end

local latest = nil
if newest[2] and tonumber(newest[2]) > now - max_period then
  latest = tonumber(newest[2]) -- read before the trim: only if the trim kept it
end
if granted then
  local score = distkit_int(now)
  local batch = {}
  for k = 1, permits do
    batch[#batch + 1] = score
    batch[#batch + 1] = VERSION .. ':' .. nonce .. ':' .. k
    if #batch >= 1000 or k == permits then
      redis.call('ZADD', key, unpack(batch))
      batch = {}
    end
  end
  latest = now
end
local reset = 0
if latest then
  reset = latest + max_period - now
end
if granted then
  redis.call('PEXPIRE', key, distkit_int(ceildiv(reset + ttl_margin, 1000)))
end
return reply(granted, exceeds, remaining, retry, reset)
