-- Token bucket. Mirrors GcraState.java (which makes the same decisions). Runs after prelude.lua and
-- deficit.lua. Stored per bandwidth: {a, b, last grant's time, deficit}: the deficit as of the last grant,
-- counted at the rate a/b it was written with; absent means full. A key whose rate changed owes the whole
-- permits it owed now, rounded up, like GCRA's.
local key = KEYS[1]
local state = load_fields(key, 4)
local last = 0
if state[1] then
  last = state[1][3]
end
local now = distkit_now_us(ARGV[1])
if last > now then
  -- time went back further than a bucket refills: a state from a clock that jumped, or planted by hand
  for i = 1, m do
    if state[i] and last - now > ceildiv(bw.burst[i] * bw.b[i], bw.a[i]) then
      far_ahead_micros = math.max(far_ahead_micros or 0, ceildiv(bw.burst[i] * bw.b[i], bw.a[i]))
    end
  end
end
now = distkit_not_before(now, last) -- time went back: decide as of the last grant
local fields = {}

local granted, remaining, retry, reset = decide_deficit(
  function(i)
    local f = state[i]
    if not f or f[1] == 0 or f[2] == 0 then
      return 0
    end
    local d = f[4]
    local elapsed = now - last
    if d == 0 or elapsed >= ceildiv(d, f[1]) then
      return 0
    end
    d = d - elapsed * f[1]
    if f[1] ~= bw.a[i] or f[2] ~= bw.b[i] then
      return converted(i, d, f[2])
    end
    return math.min(d, bw.burst[i] * bw.b[i])
  end,
  function(i, d)
    fields[i] = {bw.a[i], bw.b[i], now, d}
  end)

if granted then
  save_fields(key, fields, reset)
else
  drop_unreadable(key)
end
return reply(granted, exceeds, remaining, retry, reset)
