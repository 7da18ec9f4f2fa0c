-- GCRA. Mirrors GcraState.java. Runs after prelude.lua and deficit.lua.
-- Stored per bandwidth: {a, b, tat, rem}: the theoretical arrival time tat + rem/a us, when the deficit is
-- paid off, and the rate it was written with; absent or past means fresh. Deficit now: (tat - now) * a + rem.
local key = KEYS[1]
local state = load_fields(key, 4)
local now = distkit_now_us(ARGV[1])
local fields = {}

local granted, remaining, retry, reset = decide_deficit(
  function(i)
    local f = state[i]
    if not f or f[1] == 0 or f[3] < now then
      return 0
    end
    local a, full = bw.a[i], bw.burst[i] * bw.b[i]
    local ahead = f[3] - now
    if f[1] == a and f[2] == bw.b[i] then
      -- an arrival time far ahead (the clock went back) is just an empty bucket
      if ahead > ceildiv(full, a) then
        far_ahead_micros = ceildiv(full, a)
        return full
      end
      return math.min(ahead * a + f[4], full)
    end
    if ahead > idiv(MAX_EXACT, f[1]) then
      return full
    end
    return converted(i, ahead * f[1] + f[4], f[2])
  end,
  function(i, d)
    fields[i] = {bw.a[i], bw.b[i], now + idiv(d, bw.a[i]), d % bw.a[i]}
  end)

if granted then
  save_fields(key, fields, reset)
else
  drop_unreadable(key)
end
return reply(granted, exceeds, remaining, retry, reset)
