package io.distkit.locks.redis;

import io.distkit.core.redis.LuaPrelude;
import io.distkit.core.redis.RedisScript;
import java.util.List;

/**
 * The scripts of every kind a lock service hands out (locks, semaphores, read-write locks, elections): one state
 * machine in which a holder holds exclusively (its id starts with {@code x}) or shared (its id starts with
 * {@code s}) up to a limit of holders. Keys, always in this order and under the name's hash tag: {@code KEYS[1]}
 * the lease set (core's: every holder and every waiter handed the name and not yet claiming it), {@code KEYS[2]}
 * the fencing token, {@code KEYS[3]} the line of waiter ids (a list, first come first), {@code KEYS[4]} the waiters
 * (a hash: id → {@code "<wait deadline µs> <x|s><limit> <channel>"} while waiting, or
 * {@code "granted <token> <hand-off µs>"} once handed the name and not yet claimed). {@code ARGV[1]} is the time
 * argument, {@code ARGV[2]} the caller's id.
 *
 * <p>Every script answers {@code {result, queued, claimed after, id, channel, id, channel, ...}}: {@code claimed
 * after} is how long (µs) the hand-off the caller claimed had waited for its claim (-1: none), then, unless the
 * script published them itself (its last argument {@code 1}: pub/sub is not sharded), the waiters it handed the name
 * to, each for the caller to announce by publishing the id on the channel, after the script (a script cannot
 * publish on a sharded channel in another slot than its keys).
 */
final class LockScripts {

  private LockScripts() {}

  /** The helpers every lock script shares. */
  private static final String HELPERS = """
      -- whether a request of mode m ('x' exclusive, 's' shared) with this limit fits the live holders (purged)
      local function distkit_lock_fits(m, limit)
        local n = redis.call('ZCARD', KEYS[1])
        if n == 0 then
          return true
        end
        if m == 'x' or n >= limit then
          return false
        end
        -- an exclusive holder is always alone
        return n > 1 or string.sub(redis.call('ZRANGE', KEYS[1], 0, 0)[1], 1, 1) ~= 'x'
      end

      -- hands the name to the waiters at the head of the line while they fit, dropping those whose wait ran
      -- out; appends {id, channel} of each to handed and returns the id of the first one left waiting, or nil
      local function distkit_lock_hand_off(now, claim_us, token_ttl_ms, handed)
        local purged = false
        while true do
          local w = redis.call('LINDEX', KEYS[3], 0)
          if not w then
            return nil
          end
          local v = redis.call('HGET', KEYS[4], w)
          local until_us, limit, channel
          if v then
            until_us, limit, channel = string.match(v, '^(%d+) %a(%d+) (.*)$')
          end
          if until_us and tonumber(until_us) > now then
            if not purged then
              distkit_lease_purge(KEYS[1], now)
              purged = true
            end
            if not distkit_lock_fits(string.sub(w, 1, 1), tonumber(limit)) then
              return w
            end
            distkit_lease_grant(KEYS[1], w, now, claim_us)
            local token = distkit_next_token(KEYS[2], now, token_ttl_ms)
            redis.call('HSET', KEYS[4], w, 'granted ' .. distkit_int(token) .. ' ' .. distkit_int(now))
            handed[#handed + 1] = w
            handed[#handed + 1] = channel
          elseif until_us then
            redis.call('HDEL', KEYS[4], w)
          end
          redis.call('LPOP', KEYS[3])
        end
      end

      -- the answer, with the hand-offs for the caller to announce (or announced here when inline is '1': a script
      -- may publish on a channel of another slot unless pub/sub is sharded); claimed_after is how long (µs) a
      -- claimed hand-off waited for its claim, -1 when the caller claimed nothing
      local function distkit_lock_answer(inline, result, queued, handed, claimed_after)
        local answer = {result, queued, claimed_after or -1}
        for i = 1, #handed, 2 do
          if inline == '1' then
            redis.call('PUBLISH', handed[i + 1], handed[i])
          else
            answer[#answer + 1] = handed[i]
            answer[#answer + 1] = handed[i + 1]
          end
        end
        return answer
      end

      -- claims the name for the caller if it was handed it: the token and µs since the hand-off, or nil
      local function distkit_lock_claim(id, now, ttl)
        local mine = redis.call('HGET', KEYS[4], id)
        local token, at = nil, nil
        if mine then
          token, at = string.match(mine, '^granted (%d+) (%d+)$')
        end
        if token then
          redis.call('HDEL', KEYS[4], id)
          if distkit_lease_renew(KEYS[1], id, now, ttl) > 0 then
            return tonumber(token), math.max(0, now - tonumber(at))
          end
        end
        return nil
      end
      """;

  private static RedisScript script(String name, String body) {
    return RedisScript.of(name, List.of(LuaPrelude.LEASES, LuaPrelude.FENCING), HELPERS + body);
  }

  /**
   * Takes a grant, claims one handed to the caller, or puts the caller in line. ARGV: 3 the lease's TTL in µs, 4
   * the token key's TTL in ms, 5 how long the caller may wait in µs (0: do not queue), 6 the caller's notification
   * channel, 7 the claim lease in µs, 8 {@code 1} when the caller asked before (it may have been handed the name, or
   * stand in line), {@code 0} for its first attempt, 9 the limit of holders of the caller's kind, 10 {@code 1} to
   * publish hand-offs from the script. {@code result} is the token when granted, else 0; {@code queued} is 1 when
   * the caller waits in line.
   */
  static final RedisScript ACQUIRE = script("lock_acquire", """
      local now = distkit_now_us(ARGV[1])
      local id = ARGV[2]
      local ttl = tonumber(ARGV[3])
      local token_ttl = tonumber(ARGV[4])
      local claim = tonumber(ARGV[7])
      local again = ARGV[8] == '1'
      local limit = tonumber(ARGV[9])
      local handed = {}
      if again then
        local token, after = distkit_lock_claim(id, now, ttl)
        if token then
          return distkit_lock_answer(ARGV[10], token, 0, handed, after)
        end
      end
      local waiting = distkit_lock_hand_off(now, claim, token_ttl, handed)
      if again then
        for i = 1, #handed, 2 do
          if handed[i] == id then
            -- the hand-off reached the caller itself: it claims at once, and nobody needs to tell it
            table.remove(handed, i)
            table.remove(handed, i)
            local token, after = distkit_lock_claim(id, now, ttl)
            return distkit_lock_answer(ARGV[10], token, 0, handed, after)
          end
        end
      end
      if waiting == nil then
        distkit_lease_purge(KEYS[1], now)
        if distkit_lock_fits(string.sub(id, 1, 1), limit) then
          distkit_lease_grant(KEYS[1], id, now, ttl)
          return distkit_lock_answer(ARGV[10], distkit_next_token(KEYS[2], now, token_ttl), 0, handed)
        end
      end
      local wait = tonumber(ARGV[5])
      if wait <= 0 then
        return distkit_lock_answer(ARGV[10], 0, 0, handed)
      end
      if not again or redis.call('HEXISTS', KEYS[4], id) == 0 then
        redis.call('RPUSH', KEYS[3], id)
      end
      redis.call('HSET', KEYS[4], id, distkit_int(now + wait) .. ' ' .. string.sub(id, 1, 1) .. ARGV[9] .. ' ' .. ARGV[6])
      local keep_ms = math.ceil((wait + claim) / 1000) + 1000
      distkit_keep_for(KEYS[3], keep_ms)
      distkit_keep_for(KEYS[4], keep_ms)
      return distkit_lock_answer(ARGV[10], 0, 1, handed)""");

  /**
   * Releases the caller's lease and hands the name to the waiters that fit. ARGV: 3 the token key's TTL in ms, 4
   * the claim lease in µs, 5 {@code 1} to publish hand-offs from the script. {@code result} is 1 when the caller
   * held it.
   */
  static final RedisScript RELEASE = script("lock_release", """
      local now = distkit_now_us(ARGV[1])
      local held = distkit_lease_release(KEYS[1], ARGV[2], now)
      local handed = {}
      distkit_lock_hand_off(now, tonumber(ARGV[4]), tonumber(ARGV[3]), handed)
      return distkit_lock_answer(ARGV[5], held, 0, handed)""");

  /**
   * Takes the caller out of line; a grant handed to it meanwhile goes on, and those behind it that fit now (readers
   * behind a writer who gave up) get theirs. ARGV as {@link #RELEASE}. {@code result} is 1 when the name had been
   * handed to the caller.
   */
  static final RedisScript CANCEL = script("lock_cancel", """
      local now = distkit_now_us(ARGV[1])
      redis.call('LREM', KEYS[3], 0, ARGV[2])
      local v = redis.call('HGET', KEYS[4], ARGV[2])
      redis.call('HDEL', KEYS[4], ARGV[2])
      local had = 0
      if v and string.sub(v, 1, 8) == 'granted ' then
        had = distkit_lease_release(KEYS[1], ARGV[2], now)
      end
      local handed = {}
      distkit_lock_hand_off(now, tonumber(ARGV[4]), tonumber(ARGV[3]), handed)
      return distkit_lock_answer(ARGV[5], had, 0, handed)""");

  /**
   * Reads the name, changing nothing: {@code {holders, remaining µs of the lease that ends first, token, waiters,
   * first holder's id}}.
   */
  static final RedisScript INSPECT = RedisScript.of("lock_inspect", List.of(LuaPrelude.LEASES, LuaPrelude.FENCING), """
      local now = distkit_now_us(ARGV[1])
      local holders = redis.call('ZCOUNT', KEYS[1], '(' .. distkit_int(now), '+inf')
      local waiting = redis.call('LLEN', KEYS[3])
      if holders == 0 then
        return {0, 0, 0, waiting, ''}
      end
      local first = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. distkit_int(now), '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
      local raw = redis.call('GET', KEYS[2])
      local token = 0
      if raw then
        token = tonumber(distkit_payload(raw, 1, 'fencing token ' .. KEYS[2]))
      end
      return {holders, tonumber(first[2]) - now, token, waiting, first[1]}""");
}
