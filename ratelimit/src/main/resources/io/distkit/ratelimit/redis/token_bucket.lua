-- Token bucket. Mirrors TokenBucketState.java. Runs after prelude.lua and deficit.lua.
-- Stored per bandwidth: {last grant's time, scale, deficit} with the deficit counted at b = scale; absent
-- means full.
local key = KEYS[1]
local state = load_fields(key, 3)
local last = 0
if state[1] then
  last = state[1][1]
end
local now = math.max(now_micros(), last)
local fields = {}

local granted, remaining, retry, reset = decide_deficit(
  function(i)
    local f = state[i]
    if not f or f[2] == 0 then
      return 0
    end
    local d = f[3]
    if f[2] ~= bw.b[i] then
      d = converted(i, d, f[2])
    end
    local elapsed = now - last
    if d == 0 or elapsed >= ceildiv(d, bw.a[i]) then
      return 0
    end
    return d - elapsed * bw.a[i]
  end,
  function(i, d)
    fields[i] = {now, bw.b[i], d}
  end)

if granted then
  save_fields(key, fields, reset)
end
return reply(granted, exceeds, remaining, retry, reset)
