-- Token bucket. Mirrors TokenBucketState.java.
-- Per bandwidth ARGV: burst, a, b (refill a/b permits per us). Stored per bandwidth: {last, scale, deficit}:
-- the tokens missing from a full bucket times scale (= b when written); absent means full.
local key = KEYS[1]
local state = load_fields(key)
local time = now_micros()
local last = 0
if state[1] then
  last = state[1][1]
end
local t = math.max(time, last)
local elapsed = t - last

local burst, a, b, cur = {}, {}, {}, {}
local exceeds = false
for i = 1, m do
  local base = 3 + (i - 1) * 3
  burst[i] = tonumber(ARGV[base + 1])
  a[i] = tonumber(ARGV[base + 2])
  b[i] = tonumber(ARGV[base + 3])
  if permits > burst[i] then
    exceeds = true
  end
end
local granted = not exceeds
for i = 1, m do
  local full = burst[i] * b[i]
  local d = 0
  local f = state[i]
  if f and f[2] ~= 0 then
    d = f[3]
    if f[2] ~= b[i] then
      -- the limit changed: keep the whole permits owed, rounded up (against the caller)
      local owed = ceildiv(d, f[2])
      if owed >= burst[i] then d = full else d = owed * b[i] end
    end
    if d > 0 then
      if elapsed >= ceildiv(d, a[i]) then d = 0 else d = d - elapsed * a[i] end
    end
  end
  cur[i] = d
  if not exceeds and d + permits * b[i] > full then
    granted = false
  end
end

local remaining, retry, reset = nil, 0, 0
local fields = {}
for i = 1, m do
  local full = burst[i] * b[i]
  local d = cur[i]
  if granted then
    d = d + permits * b[i]
    fields[i] = {t, b[i], d}
  elseif not exceeds and d + permits * b[i] > full then
    retry = math.max(retry, ceildiv(d + permits * b[i] - full, a[i]))
  end
  local left = idiv(full - d, b[i])
  if remaining == nil or left < remaining then remaining = left end
  reset = math.max(reset, ceildiv(d, a[i]))
end
if granted then
  save_fields(key, fields, reset)
end
return reply(granted, exceeds, remaining, retry, reset)
