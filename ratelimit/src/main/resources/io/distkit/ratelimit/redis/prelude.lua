-- Shared by every rate-limit script but the one-bandwidth one (RedisScript.fromResources puts it after core's
-- TIME prelude, whose distkit_now_us reads ARGV[1] and distkit_not_before keeps a state's time from going back).
-- ARGV[1] now in microseconds, or '' to read the server's clock; ARGV[2] permits; ARGV[3] the number of
-- bandwidths; then each bandwidth's numbers. Lua numbers are doubles: every value here stays below 2^53,
-- which CompiledLimit checks when a limit is built, so all arithmetic is exact.
-- Replies {reason, remaining, retry_after_us, reset_after_us}; reason 0 allowed, 1 rate limited,
-- 2 exceeds capacity. A denial changes no state (the sliding log may drop entries too old to matter).

local permits = tonumber(ARGV[2])
local m = tonumber(ARGV[3])

-- With client time, Redis expires keys by its own clock, which may disagree with the clients': keep keys a
-- minute longer than their state needs (never shorter: forgetting early would change decisions).
local ttl_margin = 0
if ARGV[1] ~= '' then
  ttl_margin = 60000000
end

local function idiv(x, y)
  return math.floor(x / y)
end

local function ceildiv(x, y)
  return -math.floor(-x / y)
end

-- A stored value is a format version byte (1), then each bandwidth's fields in order, `per` fields per
-- bandwidth, as little-endian doubles (exact: every value is an integer below 2^53): Redis' built-in struct
-- library packs and parses them in C, about 2 us of Redis time per call less than decimal text in Lua.
local VERSION = 1
local function format_of(count)
  return '<B' .. string.rep('d', count)
end

-- whether every stored number is one this library could have written: an integer in [0, 2^53)
local function plausible(values, from, to)
  for i = from, to do
    local v = values[i]
    if not (v >= 0 and v < 9007199254740992 and v % 1 == 0) then
      return false
    end
  end
  return true
end

-- true once load_fields found a value that is not ours (another version, another shape, garbage): the key
-- then counts as absent, and is deleted when this call writes nothing else
local unreadable = false

-- per-bandwidth fields of the stored value, `per` numbers each, or {} when the key is absent or unreadable
local function load_fields(key, per)
  local fields = {}
  local raw = redis.call('GET', key)
  if not raw then
    return fields
  end
  local count = (#raw - 1) / 8
  if #raw > 1 and raw:byte(1) == VERSION and count % per == 0 then
    local values = {struct.unpack('<' .. string.rep('d', count), raw, 2)}
    if plausible(values, 1, count) then
      for i = 1, count / per do
        local f = {}
        for j = 1, per do
          f[j] = values[(i - 1) * per + j]
        end
        fields[i] = f
      end
      return fields
    end
  end
  unreadable = true
  return fields
end

local function save_fields(key, fields, reset_micros)
  if reset_micros <= 0 then
    redis.call('DEL', key)
    return
  end
  local flat = {VERSION}
  for _, f in ipairs(fields) do
    for j = 1, #f do
      flat[#flat + 1] = f[j]
    end
  end
  redis.call('SET', key, struct.pack(format_of(#flat - 1), unpack(flat)), 'PX',
    distkit_int(ceildiv(reset_micros + ttl_margin, 1000)))
end

-- set by a script whose state says time went back further than the state can span: a value from a clock
-- that jumped, or planted by hand; it denies until the key expires, so the key must have a TTL
local far_ahead_micros = nil

-- after a call that wrote nothing: an unreadable value goes (it counted as absent anyway), and a far-ahead
-- one gets a TTL if it has none, so that a key this limiter touched never stays without one
local function drop_unreadable(key)
  if unreadable then
    redis.call('DEL', key)
  elseif far_ahead_micros and redis.call('PTTL', key) == -1 then
    redis.call('PEXPIRE', key, distkit_int(ceildiv(far_ahead_micros + ttl_margin, 1000)))
  end
end

local function reply(granted, exceeds, remaining, retry, reset)
  local reason = 0
  if not granted then
    reason = exceeds and 2 or 1
  end
  return {reason, remaining, retry, reset}
end


-- The m bandwidths' numbers, #names per bandwidth from ARGV[4] on, as one table per name; and whether the
-- request asks for more than the field `cap` of some bandwidth can ever hold.
local function read_bandwidths(names, cap)
  local bw, exceeds = {}, false
  for _, name in ipairs(names) do
    bw[name] = {}
  end
  for i = 1, m do
    local base = 3 + (i - 1) * #names
    for j, name in ipairs(names) do
      bw[name][i] = tonumber(ARGV[base + j])
    end
    if permits > bw[cap][i] then
      exceeds = true
    end
  end
  return bw, exceeds
end
