package io.distkit.locks.redis;

import io.distkit.core.redis.LuaPrelude;
import io.distkit.core.redis.RedisScript;
import java.util.List;

/**
 * The lock's scripts. Keys, always in this order and under the lock's hash tag: {@code KEYS[1]} the lease set
 * (core's, one holder), {@code KEYS[2]} the fencing token, {@code KEYS[3]} the line of waiter ids (a list, first
 * come first), {@code KEYS[4]} the waiters (a hash: id → {@code "<wait deadline µs> <channel>"} while waiting, or
 * {@code "granted <token>"} once handed the lock and not yet claimed). {@code ARGV[1]} is the time argument,
 * {@code ARGV[2]} the caller's id.
 *
 * <p>Every script answers {@code {result, queued, handedId, handedToken, handedChannel}}: when it handed the lock to
 * a waiter ({@code handedId} non-empty), the caller publishes {@code handedId} on {@code handedChannel}, after the
 * script (a script cannot publish on a sharded channel in another slot than its keys).
 */
final class LockScripts {

  private LockScripts() {}

  /** The helpers every lock script shares. */
  private static final String HELPERS = """
      -- the first waiter still waiting, dropping those whose wait ran out
      local function distkit_lock_head(queue, waiters, now)
        while true do
          local w = redis.call('LINDEX', queue, 0)
          if not w then
            return nil
          end
          local v = redis.call('HGET', waiters, w)
          local until_us = v and tonumber(string.match(v, '^(%d+) '))
          if until_us and until_us > now then
            return w
          end
          if until_us then
            redis.call('HDEL', waiters, w)
          end
          redis.call('LPOP', queue)
        end
      end

      -- gives the free lock to the first waiter, with a claim lease; returns {id, token, channel} or nil
      local function distkit_lock_hand_off(now, claim_us, token_ttl_ms)
        local w = distkit_lock_head(KEYS[3], KEYS[4], now)
        if not w then
          return nil
        end
        redis.call('LPOP', KEYS[3])
        local channel = string.match(redis.call('HGET', KEYS[4], w), '^%d+ (.*)$')
        distkit_lease_grant(KEYS[1], w, now, claim_us)
        local token = distkit_next_token(KEYS[2], now, token_ttl_ms)
        redis.call('HSET', KEYS[4], w, 'granted ' .. distkit_int(token))
        return {w, token, channel}
      end

      -- the answer, with the hand-off (if any) for the caller to announce
      local function distkit_lock_answer(result, queued, handed)
        if handed then
          return {result, queued, handed[1], handed[2], handed[3]}
        end
        return {result, queued, '', 0, ''}
      end

      -- hands the lock on if nobody holds it
      local function distkit_lock_hand_off_if_free(now, claim_us, token_ttl_ms)
        distkit_lease_purge(KEYS[1], now)
        if redis.call('ZCARD', KEYS[1]) == 0 then
          return distkit_lock_hand_off(now, claim_us, token_ttl_ms)
        end
        return nil
      end
      """;

  private static RedisScript script(String name, String body) {
    return RedisScript.of(name, List.of(LuaPrelude.LEASES, LuaPrelude.FENCING), HELPERS + body);
  }

  /**
   * Takes the lock, claims it when it was handed to the caller, or puts the caller in line. ARGV: 3 the lease's
   * TTL in µs, 4 the token key's TTL in ms, 5 how long the caller may wait in µs (0: do not queue), 6 the
   * caller's notification channel, 7 the claim lease in µs, 8 {@code 1} when the caller asked before (it may have
   * been handed the lock, or stand in line), {@code 0} for its first attempt (it cannot: one command saved).
   * {@code result} is the token when granted, else 0; {@code queued} is 1 when the caller waits in line.
   */
  static final RedisScript ACQUIRE = script("lock_acquire", """
      local now = distkit_now_us(ARGV[1])
      local id = ARGV[2]
      local ttl = tonumber(ARGV[3])
      local token_ttl = tonumber(ARGV[4])
      local claim = tonumber(ARGV[7])
      local again = ARGV[8] == '1'
      distkit_lease_purge(KEYS[1], now)
      local mine = again and redis.call('HGET', KEYS[4], id)
      if mine and string.sub(mine, 1, 8) == 'granted ' then
        redis.call('HDEL', KEYS[4], id)
        if distkit_lease_renew(KEYS[1], id, now, ttl) > 0 then
          return distkit_lock_answer(tonumber(string.sub(mine, 9)), 0, nil)
        end
      end
      local handed = nil
      if redis.call('ZCARD', KEYS[1]) == 0 then
        local first = distkit_lock_head(KEYS[3], KEYS[4], now)
        if first == nil or first == id then
          if first == id then
            redis.call('LPOP', KEYS[3])
            redis.call('HDEL', KEYS[4], id)
          end
          distkit_lease_grant(KEYS[1], id, now, ttl)
          return distkit_lock_answer(distkit_next_token(KEYS[2], now, token_ttl), 0, nil)
        end
        handed = distkit_lock_hand_off(now, claim, token_ttl)
      end
      local wait = tonumber(ARGV[5])
      if wait <= 0 then
        return distkit_lock_answer(0, 0, handed)
      end
      if not again or redis.call('HEXISTS', KEYS[4], id) == 0 then
        redis.call('RPUSH', KEYS[3], id)
      end
      redis.call('HSET', KEYS[4], id, distkit_int(now + wait) .. ' ' .. ARGV[6])
      local keep_ms = math.ceil((wait + claim) / 1000) + 1000
      distkit_keep_for(KEYS[3], keep_ms)
      distkit_keep_for(KEYS[4], keep_ms)
      return distkit_lock_answer(0, 1, handed)""");

  /**
   * Releases the caller's lease and hands the lock to the first waiter. ARGV: 3 the token key's TTL in ms, 4 the
   * claim lease in µs. {@code result} is 1 when the caller held the lock.
   */
  static final RedisScript RELEASE = script("lock_release", """
      local now = distkit_now_us(ARGV[1])
      local held = distkit_lease_release(KEYS[1], ARGV[2], now)
      local claim = tonumber(ARGV[4])
      local token_ttl = tonumber(ARGV[3])
      if held == 1 then
        -- the caller was the one live holder (a grant needs an empty set): the lock is free now
        return distkit_lock_answer(held, 0, distkit_lock_hand_off(now, claim, token_ttl))
      end
      return distkit_lock_answer(held, 0, distkit_lock_hand_off_if_free(now, claim, token_ttl))""");

  /**
   * Takes the caller out of line; a lock handed to it meanwhile goes to the next waiter. ARGV as
   * {@link #RELEASE}. {@code result} is 1 when the lock had been handed to the caller.
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
      return distkit_lock_answer(had, 0, distkit_lock_hand_off_if_free(now, tonumber(ARGV[4]), tonumber(ARGV[3])))""");

  /**
   * Reads the lock: {@code {held, remaining µs, token, waiters}}, changing nothing.
   */
  static final RedisScript INSPECT = RedisScript.of("lock_inspect", List.of(LuaPrelude.LEASES, LuaPrelude.FENCING), """
      local now = distkit_now_us(ARGV[1])
      local live = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. distkit_int(now), '+inf', 'WITHSCORES')
      local waiting = redis.call('LLEN', KEYS[3])
      if #live == 0 then
        return {0, 0, 0, waiting}
      end
      local raw = redis.call('GET', KEYS[2])
      local token = 0
      if raw then
        token = tonumber(distkit_payload(raw, 1, 'fencing token ' .. KEYS[2]))
      end
      return {1, tonumber(live[2]) - now, token, waiting}""");
}
