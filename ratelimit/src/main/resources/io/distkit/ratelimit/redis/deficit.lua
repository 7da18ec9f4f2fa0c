-- The arithmetic token_bucket.lua and gcra.lua share. Mirrors DeficitState.java.
-- Per bandwidth ARGV: burst, a, b (a/b permits per us). The deficit is what a key owes, in units of 1/a us
-- (b per permit; refilling pays back a per us). A request of n is admitted while deficit + n * b stays within
-- burst * b for every bandwidth. The two algorithms differ only in how they store the deficit.
local MAX_EXACT = 9007199254740991
local bw, exceeds = read_bandwidths({'burst', 'a', 'b'}, 'burst')

-- a deficit counted at another rate: the whole permits owed, rounded up (against the caller), at most a burst
local function converted(i, old_deficit, old_b)
  local owed = ceildiv(old_deficit, old_b)
  if owed >= bw.burst[i] then
    return bw.burst[i] * bw.b[i]
  end
  return owed * bw.b[i]
end

-- deficit_of(i) gives bandwidth i's deficit now; store(i, d) keeps it after a grant.
-- Returns granted, remaining, retry after, reset after.
local function decide_deficit(deficit_of, store)
  local deficits = {}
  local granted = not exceeds
  for i = 1, m do
    deficits[i] = deficit_of(i)
    if not exceeds and deficits[i] + permits * bw.b[i] > bw.burst[i] * bw.b[i] then
      granted = false
    end
  end
  local remaining, retry, reset = math.huge, 0, 0
  for i = 1, m do
    local full = bw.burst[i] * bw.b[i]
    local d = deficits[i]
    if granted then
      d = d + permits * bw.b[i]
      store(i, d)
    elseif not exceeds and d + permits * bw.b[i] > full then
      retry = math.max(retry, ceildiv(d + permits * bw.b[i] - full, bw.a[i]))
    end
    remaining = math.min(remaining, idiv(full - d, bw.b[i]))
    reset = math.max(reset, ceildiv(d, bw.a[i]))
  end
  return granted, remaining, retry, reset
end
