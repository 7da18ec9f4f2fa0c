-- Sliding window counter. Mirrors SlidingWindowCounterState.java.
-- Per bandwidth ARGV: limit, period (us), unit (us). Stored per bandwidth: {period, window, previous, current}.
-- Admits n when previous * (Pu - eu) + (current + n) * Pu <= limit * Pu, in units u (Pu = P / u, eu = elapsed / u).
local key = KEYS[1]
local state = load_fields(key, 4)
local now = distkit_now_us(ARGV[1])

local bw, exceeds = read_bandwidths({'limit', 'period', 'unit'}, 'limit')
local limit, period, unit, w, p, c, eu = bw.limit, bw.period, bw.unit, {}, {}, {}, {}
local granted = not exceeds
for i = 1, m do
  local units = period[i] / unit[i]
  local cw = idiv(now, period[i])
  w[i], p[i], c[i] = cw, 0, 0
  local f = state[i]
  if f and f[1] == period[i] then
    w[i] = f[2]
    p[i] = math.min(f[3], limit[i])
    c[i] = math.min(f[4], limit[i])
    if w[i] == cw - 1 then
      w[i], p[i], c[i] = cw, c[i], 0
    elseif w[i] < cw - 1 then
      w[i], p[i], c[i] = cw, 0, 0
    end
    -- w > cw: the clock went back; stay at the start of the later window
  elseif f and f[1] ~= 0 then
    p[i] = math.min(f[3], limit[i]) -- the period changed: carry both counts (against the caller)
    c[i] = math.min(f[4], limit[i])
  end
  eu[i] = 0
  if w[i] == cw then
    eu[i] = idiv(now - cw * period[i], unit[i])
  end
  if not exceeds and p[i] * (units - eu[i]) + (c[i] + permits) * units > limit[i] * units then
    granted = false
  end
end

local remaining, retry, reset = math.huge, 0, 0
local fields = {}
for i = 1, m do
  local units = period[i] / unit[i]
  local max = limit[i]
  local pi, ci, e = p[i], c[i], eu[i]
  local fits = pi * (units - e) + (ci + permits) * units <= max * units
  if granted then
    ci = ci + permits
    fields[i] = {period[i], w[i], pi, ci}
  elseif not exceeds and not fits then
    local at
    if ci + permits <= max then
      -- later in this window, once the previous window weighs little enough
      local x = units - idiv((max - ci - permits) * units, pi)
      at = w[i] * period[i] + x * unit[i]
    else
      -- in the next window, where this window's count becomes the previous one
      local x = math.max(0, units - idiv((max - permits) * units, ci))
      at = (w[i] + 1) * period[i] + x * unit[i]
    end
    retry = math.max(retry, math.max(1, at - now))
  end
  remaining = math.min(remaining, math.max(0, idiv(max * units - pi * (units - e), units) - ci))
  if ci > 0 then
    reset = math.max(reset, (w[i] + 2) * period[i] - now)
  elseif pi > 0 then
    reset = math.max(reset, (w[i] + 1) * period[i] - now)
  end
end
if granted then
  save_fields(key, fields, reset)
else
  drop_unreadable(key)
end
return reply(granted, exceeds, remaining, retry, reset)
