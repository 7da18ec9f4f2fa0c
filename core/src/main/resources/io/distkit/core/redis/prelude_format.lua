-- distkit format prelude: every stored value starts with a byte that is its format version (1 to 255).

-- the format version of a stored value, or nil when it is absent or empty
local function distkit_format(raw)
  if not raw or #raw == 0 then
    return nil
  end
  return string.byte(raw, 1)
end

-- a value of the given format version: the version byte, then the payload
local function distkit_versioned(version, payload)
  return string.char(version) .. payload
end

-- the payload of a stored value of an expected version; fails the script (never guesses) on another version
local function distkit_payload(raw, version, what)
  local found = distkit_format(raw)
  if found ~= version then
    return error('distkit: ' .. what .. ' has format version ' .. tostring(found) .. ', this code reads ' .. version)
  end
  return string.sub(raw, 2)
end
