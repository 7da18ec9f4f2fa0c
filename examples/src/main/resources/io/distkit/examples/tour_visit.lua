-- Counts a visit and reads the server's clock, in one round trip.
-- KEYS[1] the counter; ARGV[1] its time to live in ms.
-- Returns {count, server time in epoch ms}.
local count = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
local now = redis.call('TIME')
return {count, tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)}
