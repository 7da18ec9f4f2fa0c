-- GCRA. Mirrors GcraState.java.
-- Per bandwidth ARGV: burst, a, b (emission interval b/a us). Stored per bandwidth: {a, b, tat, rem}: the
-- theoretical arrival time tat + rem/a us, and the rate it was written with; absent or past means fresh.
-- debt = (tat - now) * a + rem, that is b per permit owed; a request of n adds n * b and is admitted while
-- debt <= burst * b.
local key = KEYS[1]
local state = load_fields(key)
local now = now_micros()
local MAX_EXACT = 9007199254740991

local burst, a, b, debt = {}, {}, {}, {}
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
  if f and f[1] ~= 0 and f[3] >= now then
    local ahead = f[3] - now
    if f[1] == a[i] and f[2] == b[i] then
      -- an arrival time far ahead (the clock went back) is just an empty bucket
      if ahead > ceildiv(full, a[i]) then d = full else d = math.min(ahead * a[i] + f[4], full) end
    elseif ahead > idiv(MAX_EXACT, f[1]) then
      d = full
    else
      -- the limit changed: keep the whole permits owed, rounded up (against the caller)
      local owed = ceildiv(ahead * f[1] + f[4], f[2])
      if owed >= burst[i] then d = full else d = owed * b[i] end
    end
  end
  debt[i] = d
  if not exceeds and d + permits * b[i] > full then
    granted = false
  end
end

local remaining, retry, reset = nil, 0, 0
local fields = {}
for i = 1, m do
  local full = burst[i] * b[i]
  local d = debt[i]
  if granted then
    d = d + permits * b[i]
    fields[i] = {a[i], b[i], now + idiv(d, a[i]), d % a[i]}
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
