package io.distkit.pool.jobs.redis;

import io.distkit.core.redis.LuaPrelude;
import io.distkit.core.redis.RedisScript;
import java.util.List;

/**
 * The Lua scripts of a Redis job queue. Every key of a queue shares its hash tag; every script reads the time once
 * (never backwards: the last time seen is kept in the stats hash) and keeps each key of the queue for the queue's
 * retention (refreshed once a thousandth of it has passed).
 *
 * <p>Keys, in this order for every script that takes them all: {@code r} ready jobs (sorted set, score = priority
 * band &times; 2<sup>42</sup> + submission number: lowest first), {@code d} delayed jobs (sorted set, score = due
 * time in µs), {@code f} jobs in flight (sorted set, score = lease deadline in µs), {@code h} headers (hash, id &rarr;
 * {@link JobHeader}), {@code p} payloads (hash, id &rarr; codec bytes), {@code e} last failures (hash, id &rarr;
 * text), {@code x} dead jobs (sorted set, score = time of death in µs), {@code s} counters and the last time seen
 * (hash), {@code t} the last fencing token (string).
 *
 * <p>Every script's first three arguments: the time ({@code ''} for the server's clock), the retention in ms, and
 * the wake-up channel when the script may publish on it itself ({@code ''} when pub/sub is sharded: the caller then
 * publishes when the reply says so).
 */
final class JobScripts {

  private JobScripts() {}

  /** Lua shared by the scripts: the header format, waking workers, burying a job, keeping keys. */
  private static final String COMMON = """
      local RETENTION = tonumber(ARGV[2])
      local CHANNEL = ARGV[3]

      -- header format 1: attempt,maxAttempts,token,submittedUs,deadlineUs,score,dueUs,backoff,group (the last two
      -- for Java only)
      -- a job's header text (without its version byte), or nil when the job is gone
      local function header_body(h, id)
        local raw = redis.call('HGET', h, id)
        if not raw then
          return nil
        end
        return distkit_payload(raw, 1, 'job header of ' .. id)
      end

      local function header_parse(body)
        local a, m, t, sub, dl, sc, due, rest =
            string.match(body, '^(%d+),(%d+),(%d+),(%d+),(%d+),(%d+),(%d+),(.*)$')
        return {attempt = tonumber(a), max = tonumber(m), token = tonumber(t), submitted = tonumber(sub),
                deadline = tonumber(dl), score = tonumber(sc), due = tonumber(due), rest = rest}
      end

      local function header_read(h, id)
        local body = header_body(h, id)
        return body and header_parse(body)
      end

      -- the fencing token alone (the hot paths check it without parsing the rest)
      local function header_token(body)
        return tonumber(string.match(body, '^%d+,%d+,(%d+),'))
      end

      -- one format call (%d: every field is an integer below 2^53, and Lua's %d takes a C long)
      local function header_text(x)
        return string.format('%d,%d,%d,%d,%d,%d,%d,%s', x.attempt, x.max, x.token, x.submitted, x.deadline,
            x.score, x.due, x.rest)
      end

      local function header_write(h, id, x)
        redis.call('HSET', h, id, distkit_versioned(1, header_text(x)))
      end

      -- tells idle workers that ready jobs appeared, or that the next delayed job is sooner than they knew;
      -- returns 1 when the caller must publish (sharded pub/sub: a script may not publish outside its slot)
      local function wake(message)
        if CHANNEL == '' then
          return 1
        end
        redis.call('PUBLISH', CHANNEL, message)
        return 0
      end

      -- keeps each key for the retention (core's lazy refresh: a busy queue does not rewrite every TTL on every call)
      local function keep(keys)
        for _, key in ipairs(keys) do
          distkit_keep_about(key, RETENTION)
        end
      end
      """;

  /** Lua shared by the scripts that end attempts: burying a job in the dead-letter set. */
  private static final String BURY = """
      -- moves a job out of flight into the dead set, trimming the set to max_dead (the oldest go, with their data)
      local function bury(K, id, now, reason, max_dead)
        redis.call('ZREM', K.f, id)
        redis.call('ZADD', K.x, distkit_int(now), id)
        redis.call('HSET', K.e, id, reason)
        redis.call('HINCRBY', K.s, 'deadLettered', 1)
        local excess = redis.call('ZCARD', K.x) - max_dead
        if excess > 0 then
          local oldest = redis.call('ZRANGE', K.x, 0, excess - 1)
          redis.call('ZREMRANGEBYRANK', K.x, 0, excess - 1)
          redis.call('HDEL', K.h, unpack(oldest))
          redis.call('HDEL', K.p, unpack(oldest))
          redis.call('HDEL', K.e, unpack(oldest))
        end
      end
      """;

  /**
   * Submits jobs. KEYS: r d h p s, then one idempotency key per job that has one. ARGV: time, retention, channel,
   * deduplication window (ms), job count, then 8 per job: id, payload, delay (µs), priority band (0..2000), max
   * attempts, deadline after submission (µs, 0: none), backoff and group (text for Java), index in KEYS of its
   * idempotency key
   * (0: none). Reply: time (µs), 1 when the caller must publish a wake-up, then per job the id it got (its own, or
   * the job already submitted with the same idempotency key).
   */
  static final RedisScript SUBMIT = RedisScript.of("jobs-submit", List.of(LuaPrelude.TIME, LuaPrelude.FORMAT),
      COMMON + """
      local K = {r = KEYS[1], d = KEYS[2], h = KEYS[3], p = KEYS[4], s = KEYS[5]}
      local now = distkit_monotonic_us(ARGV[1], K.s, 'now')
      local window = tonumber(ARGV[4])
      local count = tonumber(ARGV[5])
      local ready_was_empty = redis.call('EXISTS', K.r) == 0
      local first_due = nil -- the earliest delayed job's due time (-1: none), read at the call's first delayed job
      local seq = redis.call('HINCRBY', K.s, 'seq', count) - count
      local reply = {now, 0}
      local accepted, duplicates, readied, sooner = 0, 0, 0, false
      local headers, ready = {}, {} -- written after the loop, a command per key for up to 500 jobs
      for i = 0, count - 1 do
        local at = 6 + i * 8
        local id = ARGV[at]
        local key_index = tonumber(ARGV[at + 7])
        local existing = nil
        if key_index > 0 then
          existing = redis.call('GET', KEYS[key_index])
          if not existing then
            redis.call('SET', KEYS[key_index], id, 'PX', window)
          end
        end
        if existing then
          duplicates = duplicates + 1
          reply[#reply + 1] = existing
        elseif redis.call('HSETNX', K.p, id, ARGV[at + 1]) == 0 then
          reply[#reply + 1] = id -- a retried call: this job is in already
        else
          local delay = tonumber(ARGV[at + 2])
          local relative_deadline = tonumber(ARGV[at + 5])
          local x = {attempt = 0, max = tonumber(ARGV[at + 4]), token = 0, submitted = now,
                     deadline = relative_deadline > 0 and now + relative_deadline or 0,
                     score = tonumber(ARGV[at + 3]) * 4398046511104 + (seq + i) % 4398046511104,
                     due = now + delay, rest = ARGV[at + 6]}
          headers[#headers + 1] = id
          headers[#headers + 1] = distkit_versioned(1, header_text(x))
          if delay > 0 then
            if first_due == nil then
              local earliest = redis.call('ZRANGE', K.d, 0, 0, 'WITHSCORES')[2]
              first_due = earliest and tonumber(earliest) or -1
            end
            redis.call('ZADD', K.d, distkit_int(x.due), id)
            if first_due < 0 or x.due < first_due then
              first_due = x.due
              sooner = true
            end
          else
            ready[#ready + 1] = distkit_int(x.score)
            ready[#ready + 1] = id
            readied = readied + 1
          end
          accepted = accepted + 1
          reply[#reply + 1] = id
        end
      end
      for from = 1, #headers, 1000 do
        redis.call('HSET', K.h, unpack(headers, from, math.min(from + 999, #headers)))
      end
      for from = 1, #ready, 1000 do
        redis.call('ZADD', K.r, unpack(ready, from, math.min(from + 999, #ready)))
      end
      if accepted > 0 then
        redis.call('HINCRBY', K.s, 'submitted', accepted)
      end
      if duplicates > 0 then
        redis.call('HINCRBY', K.s, 'duplicates', duplicates)
      end
      if (ready_was_empty and readied > 0) or sooner then
        reply[2] = wake('w')
      end
      keep({K.r, K.d, K.h, K.p, K.s})
      return reply
      """);

  /**
   * Ends attempts, reaps attempts whose lease ran out, promotes due delayed jobs and claims ready ones, in one call.
   * KEYS: r d f h p e x s t. ARGV: time, retention, channel, jobs to claim, lease (µs), dead jobs kept, outcome
   * count, then 5 per outcome: op ({@code a} acknowledge, {@code f} failed, {@code x} failed for good: dead at once,
   * {@code r} release, {@code d} deferred: due again after the delay, not counted as an attempt), id, token, retry
   * delay (µs), failure text. Reply: time, next due time (µs, the earliest delayed job or lease deadline; -1: none),
   * 1 when the caller must publish a wake-up, one letter per outcome ({@code A} acknowledged, {@code R} retried
   * later, {@code D} dead, {@code L} released or deferred, {@code S} stale: not this attempt's to end, {@code G}
   * gone), then 3 per claimed job: id, header (format 1, without its version byte), payload.
   */
  static final RedisScript CLAIM = RedisScript.of("jobs-claim", List.of(LuaPrelude.TIME, LuaPrelude.FORMAT),
      COMMON + BURY + """
      local K = {r = KEYS[1], d = KEYS[2], f = KEYS[3], h = KEYS[4], p = KEYS[5], e = KEYS[6], x = KEYS[7],
                 s = KEYS[8], t = KEYS[9]}
      local now = distkit_monotonic_us(ARGV[1], K.s, 'now')
      local wanted = tonumber(ARGV[4])
      local lease = tonumber(ARGV[5])
      local max_dead = tonumber(ARGV[6])
      local outcomes = tonumber(ARGV[7])
      local ready_was_empty = redis.call('EXISTS', K.r) == 0
      local letters = {}
      local acked = {}
      local counts = {succeeded = 0, failed = 0, retried = 0, stale = 0, expired = 0, deferred = 0}

      -- the outcomes' headers and lease deadlines, a command per key for up to 1,000 of them (one attempt ends
      -- once: no outcome of a call changes what another outcome of the same call reads)
      local raws, deadlines = {}, {}
      for from = 0, outcomes - 1, 1000 do
        local ids = {}
        for i = from, math.min(from + 999, outcomes - 1) do
          ids[#ids + 1] = ARGV[9 + i * 5]
        end
        local hs = redis.call('HMGET', K.h, unpack(ids))
        local ds = redis.call('ZMSCORE', K.f, unpack(ids))
        for j = 1, #ids do
          raws[from + j] = hs[j]
          deadlines[from + j] = ds[j]
        end
      end

      for i = 0, outcomes - 1 do
        local at = 8 + i * 5
        local op, id, token = ARGV[at], ARGV[at + 1], tonumber(ARGV[at + 2])
        local body = raws[i + 1] and distkit_payload(raws[i + 1], 1, 'job header of ' .. id)
        local deadline = deadlines[i + 1]
        if not body then
          letters[#letters + 1] = 'G'
          counts.stale = counts.stale + 1
        elseif header_token(body) ~= token or not deadline or tonumber(deadline) <= now then
          letters[#letters + 1] = 'S'
          counts.stale = counts.stale + 1
        elseif op == 'a' then
          acked[#acked + 1] = id -- removed below, all in one command per key
          counts.succeeded = counts.succeeded + 1
          letters[#letters + 1] = 'A'
        elseif op == 'd' then -- deferred (its group at its limit): due later, the attempt not counted
          local x = header_parse(body)
          redis.call('ZREM', K.f, id)
          x.attempt = x.attempt - 1
          x.due = now + tonumber(ARGV[at + 3])
          header_write(K.h, id, x)
          redis.call('ZADD', K.d, distkit_int(x.due), id)
          counts.deferred = counts.deferred + 1
          letters[#letters + 1] = 'L'
        elseif op == 'f' or op == 'x' then
          local x = header_parse(body)
          local delay = tonumber(ARGV[at + 3])
          counts.failed = counts.failed + 1
          redis.call('HSET', K.e, id, ARGV[at + 4])
          if op == 'x' or x.attempt >= x.max or (x.deadline > 0 and now + delay > x.deadline) then
            bury(K, id, now, ARGV[at + 4], max_dead)
            letters[#letters + 1] = 'D'
          else
            redis.call('ZREM', K.f, id)
            x.due = now + delay
            header_write(K.h, id, x)
            redis.call('ZADD', K.d, distkit_int(x.due), id)
            counts.retried = counts.retried + 1
            letters[#letters + 1] = 'R'
          end
        else -- release: back to its place among the ready jobs, the attempt not counted (its token stays used)
          local x = header_parse(body)
          redis.call('ZREM', K.f, id)
          x.attempt = x.attempt - 1
          x.due = now
          header_write(K.h, id, x)
          redis.call('ZADD', K.r, distkit_int(x.score), id)
          letters[#letters + 1] = 'L'
        end
      end
      -- acknowledged jobs leave, a command per key for up to 1,000 of them (unpack's stack stays small)
      for from = 1, #acked, 1000 do
        local to = math.min(from + 999, #acked)
        redis.call('ZREM', K.f, unpack(acked, from, to))
        redis.call('HDEL', K.h, unpack(acked, from, to))
        redis.call('HDEL', K.p, unpack(acked, from, to))
        redis.call('HDEL', K.e, unpack(acked, from, to))
      end

      -- attempts whose lease ran out: their worker died, stalled or lost Redis; the job runs again (at once, at
      -- its place) or, out of attempts or past its deadline, goes to the dead set
      local expired = redis.call('ZRANGEBYSCORE', K.f, '-inf', distkit_int(now), 'LIMIT', 0, 256)
      for _, id in ipairs(expired) do
        local x = header_read(K.h, id)
        redis.call('ZREM', K.f, id)
        if x then
          counts.expired = counts.expired + 1
          local reason = 'lease expired during attempt ' .. x.attempt
          if x.attempt >= x.max or (x.deadline > 0 and now > x.deadline) then
            bury(K, id, now, reason, max_dead)
          else
            redis.call('HSET', K.e, id, reason)
            x.due = now
            header_write(K.h, id, x)
            redis.call('ZADD', K.r, distkit_int(x.score), id)
          end
        end
      end

      -- delayed jobs now due
      local due = redis.call('ZRANGEBYSCORE', K.d, '-inf', distkit_int(now), 'LIMIT', 0, 256)
      for _, id in ipairs(due) do
        redis.call('ZREM', K.d, id)
        local x = header_read(K.h, id)
        if x then
          redis.call('ZADD', K.r, distkit_int(x.score), id)
        end
      end

      local reply = {now, -1, 0, table.concat(letters)}
      if wanted > 0 then
        local popped = redis.call('ZPOPMIN', K.r, wanted)
        local n = #popped / 2
        if n > 0 then
          local raw = redis.call('GET', K.t)
          local last = raw and tonumber(distkit_payload(raw, 1, 'fencing token ' .. K.t)) or 0
          local token = last + 1
          if now > token then
            token = now
          end
          -- headers, payloads and the new leases read and written a command per key for the whole batch
          local ids = {}
          for i = 1, #popped, 2 do
            ids[#ids + 1] = popped[i]
          end
          local raws = redis.call('HMGET', K.h, unpack(ids))
          local bodies = redis.call('HMGET', K.p, unpack(ids))
          local headers, leases = {}, {}
          local deadline = distkit_int(now + lease)
          for i, id in ipairs(ids) do
            local raw = raws[i]
            if raw then
              -- the next attempt: attempt + 1 and this token, the other fields as they were (not parsed)
              local body = distkit_payload(raw, 1, 'job header of ' .. id)
              local attempt, max, rest = string.match(body, '^(%d+),(%d+),%d+,(.*)$')
              local text = string.format('%d,%s,%d,%s', tonumber(attempt) + 1, max, token, rest)
              token = token + 1
              headers[#headers + 1] = id
              headers[#headers + 1] = distkit_versioned(1, text)
              leases[#leases + 1] = deadline
              leases[#leases + 1] = id
              reply[#reply + 1] = id
              reply[#reply + 1] = text
              reply[#reply + 1] = bodies[i]
            end
          end
          if #headers > 0 then
            redis.call('HSET', K.h, unpack(headers))
            redis.call('ZADD', K.f, unpack(leases))
          end
          redis.call('SET', K.t, distkit_versioned(1, distkit_int(token - 1)), 'PX', RETENTION)
        end
      end

      for name, n in pairs(counts) do
        if n > 0 then
          redis.call('HINCRBY', K.s, name, n)
        end
      end
      local next_delayed = redis.call('ZRANGE', K.d, 0, 0, 'WITHSCORES')[2]
      local next_expiry = redis.call('ZRANGE', K.f, 0, 0, 'WITHSCORES')[2]
      local next_due = -1
      if next_delayed then
        next_due = tonumber(next_delayed)
      end
      if next_expiry and (next_due < 0 or tonumber(next_expiry) < next_due) then
        next_due = tonumber(next_expiry)
      end
      reply[2] = next_due
      if ready_was_empty and redis.call('EXISTS', K.r) == 1 then
        reply[3] = wake('w')
      end
      keep({K.r, K.d, K.f, K.h, K.p, K.e, K.x, K.s})
      return reply
      """);

  /**
   * Extends the leases of attempts under way. KEYS: f h s. ARGV: time, retention, channel (unused), lease (µs),
   * then 2 per attempt: id, token. Reply: time, then the (0-based) index of each attempt whose lease is lost (ran
   * out, or the job is no longer this attempt's).
   */
  static final RedisScript EXTEND = RedisScript.of("jobs-extend", List.of(LuaPrelude.TIME, LuaPrelude.FORMAT),
      COMMON + """
      local K = {f = KEYS[1], h = KEYS[2], s = KEYS[3]}
      local now = distkit_monotonic_us(ARGV[1], K.s, 'now')
      local lease = tonumber(ARGV[4])
      local reply = {now}
      for i = 0, (#ARGV - 4) / 2 - 1 do
        local id, token = ARGV[5 + i * 2], tonumber(ARGV[6 + i * 2])
        local body = header_body(K.h, id)
        local deadline = redis.call('ZSCORE', K.f, id)
        if body and header_token(body) == token and deadline and tonumber(deadline) > now then
          redis.call('ZADD', K.f, 'XX', distkit_int(now + lease), id)
        else
          reply[#reply + 1] = i
        end
      end
      keep({K.f})
      return reply
      """);

  /**
   * Lists dead jobs, oldest first. KEYS: x h p e. ARGV: time (unused), retention (unused), channel (unused), limit.
   * Reply: 4 per job: id, header (format 1, without its version byte), payload, last failure.
   */
  static final RedisScript DEAD = RedisScript.of("jobs-dead", List.of(LuaPrelude.TIME, LuaPrelude.FORMAT),
      COMMON + """
      local K = {x = KEYS[1], h = KEYS[2], p = KEYS[3], e = KEYS[4]}
      local reply = {}
      for _, id in ipairs(redis.call('ZRANGE', K.x, 0, tonumber(ARGV[4]) - 1)) do
        local x = header_read(K.h, id)
        if x then
          reply[#reply + 1] = id
          reply[#reply + 1] = header_text(x)
          reply[#reply + 1] = redis.call('HGET', K.p, id) or ''
          reply[#reply + 1] = redis.call('HGET', K.e, id) or ''
        end
      end
      return reply
      """);

  /**
   * Puts a dead job back among the ready ones, its attempts counted from zero. KEYS: x h r s. ARGV: time,
   * retention, channel, id. Reply: 1 when replayed (0: no dead job has that id), 1 when the caller must publish a
   * wake-up.
   */
  static final RedisScript REPLAY = RedisScript.of("jobs-replay", List.of(LuaPrelude.TIME, LuaPrelude.FORMAT),
      COMMON + """
      local K = {x = KEYS[1], h = KEYS[2], r = KEYS[3], s = KEYS[4]}
      local now = distkit_monotonic_us(ARGV[1], K.s, 'now')
      local id = ARGV[4]
      if redis.call('ZREM', K.x, id) == 0 then
        return {0, 0}
      end
      local x = header_read(K.h, id)
      if not x then
        return {0, 0}
      end
      local ready_was_empty = redis.call('EXISTS', K.r) == 0
      x.attempt = 0
      x.due = now
      header_write(K.h, id, x)
      redis.call('ZADD', K.r, distkit_int(x.score), id)
      local publish = 0
      if ready_was_empty then
        publish = wake('w')
      end
      keep({K.r, K.h})
      return {1, publish}
      """);

  /**
   * Reads the queue's sizes and counters. KEYS: r d f x s. Reply: ready, delayed, in flight, dead, then the
   * counters submitted, duplicates, succeeded, failed, retried, deadLettered, deferred, expired, stale (absent ones as
   * false).
   */
  static final RedisScript STATS = RedisScript.of("jobs-stats", """
      local reply = {redis.call('ZCARD', KEYS[1]), redis.call('ZCARD', KEYS[2]), redis.call('ZCARD', KEYS[3]),
                     redis.call('ZCARD', KEYS[4])}
      local counters = redis.call('HMGET', KEYS[5], 'submitted', 'duplicates', 'succeeded', 'failed', 'retried',
                                  'deadLettered', 'deferred', 'expired', 'stale')
      for _, value in ipairs(counters) do
        reply[#reply + 1] = value
      end
      return reply
      """);
}
