-- Fixed window. Mirrors FixedWindowState.java.
-- Per bandwidth ARGV: limit, period (us). Stored per bandwidth: {period, window index, count}.
local key = KEYS[1]
local state = load_fields(key, 3)
local now = distkit_now_us(ARGV[1])

local bw, exceeds = read_bandwidths({'limit', 'period'}, 'limit')
local limit, period, w, c = bw.limit, bw.period, {}, {}
local granted = not exceeds
for i = 1, m do
  local current = idiv(now, period[i])
  w[i], c[i] = current, 0
  local f = state[i]
  if f and f[1] == period[i] then
    w[i] = f[2]
    c[i] = math.min(f[3], limit[i])
    if w[i] < current then
      w[i], c[i] = current, 0
    end
    -- w > current: the clock went back; stay in the later window
  elseif f and f[1] ~= 0 then
    c[i] = math.min(f[3], limit[i]) -- the period changed: carry the count (against the caller)
  end
  if not exceeds and c[i] + permits > limit[i] then
    granted = false
  end
end

local remaining, retry, reset = math.huge, 0, 0
local fields = {}
for i = 1, m do
  local count = c[i]
  local window_end = (w[i] + 1) * period[i] - now
  if granted then
    count = count + permits
    fields[i] = {period[i], w[i], count}
  elseif not exceeds and count + permits > limit[i] then
    retry = math.max(retry, window_end)
  end
  remaining = math.min(remaining, limit[i] - count)
  if count > 0 then
    reset = math.max(reset, window_end)
  end
end
if granted then
  save_fields(key, fields, reset)
else
  drop_unreadable(key)
end
return reply(granted, exceeds, remaining, retry, reset)
