package io.distkit.ratelimit;

import io.distkit.core.BackendUnavailableException;
import java.time.Duration;

/**
 * A {@link RateLimiter} bound to one key: the limiter for a single resource (an outbound API, a shared queue)
 * called from many threads. Made by {@link RateLimiter#forKey(String)}.
 *
 * <pre>{@code
 * BoundRateLimiter partnerApi = limiter.forKey("partner-api");   // once, e.g. in a field
 * if (partnerApi.tryConsume(1)) {
 *   callPartner();
 * }
 * }</pre>
 *
 * <p>Every call makes exactly the decision {@code limiter.tryAcquire(key(), permits)} would make, on the same
 * state: the handle and keyed calls for its key can be mixed freely. What the handle saves is the per-call work
 * around the decision: the key was checked once when the handle was made, and the local limiter finds the
 * key's state without a map lookup (the Redis limiter sends a key it encoded once). The key's limit is still
 * the resolver's answer on every call (or the limiter's default limit), so a tier change applies at once.
 *
 * <p>A handle holds no resources and needs no closing; keep it as long as the key is in use. Thread-safe.
 */
public interface BoundRateLimiter {

  /**
   * The key this handle decides for.
   *
   * @return the key given to {@link RateLimiter#forKey(String)}
   */
  String key();

  /**
   * Asks for one permit: {@code limiter.tryAcquire(key())}.
   *
   * @return the decision; granted permits are consumed
   * @throws BackendUnavailableException only from a fail-closed Redis limiter while Redis is unavailable
   */
  RateLimitDecision tryAcquire();

  /**
   * Asks for permits: {@code limiter.tryAcquire(key(), permits)}.
   *
   * @param permits at least 1
   * @return the decision; granted permits are consumed
   * @throws BackendUnavailableException only from a fail-closed Redis limiter while Redis is unavailable
   */
  RateLimitDecision tryAcquire(long permits);

  /**
   * {@code tryAcquire(permits).allowed()} without building a decision: the allocation-free yes or no for hot
   * paths.
   *
   * @param permits at least 1
   * @return whether the permits were granted (and consumed)
   * @throws BackendUnavailableException only from a fail-closed Redis limiter while Redis is unavailable
   */
  boolean tryConsume(long permits);

  /**
   * Waits until the permits are granted, or returns false as soon as it knows they will not be within
   * {@code maxWait}: {@link RateLimiter#acquire(String, long, Duration)} for this key.
   *
   * @param permits at least 1
   * @param maxWait the longest to wait; zero means try once
   * @return true when the permits were granted (and consumed)
   * @throws InterruptedException if interrupted while waiting; nothing is consumed then
   * @throws BackendUnavailableException only from a fail-closed Redis limiter while Redis is unavailable
   */
  boolean acquire(long permits, Duration maxWait) throws InterruptedException;

  /**
   * Forgets the key's state: {@link RateLimiter#reset(String)} for this key.
   *
   * @throws BackendUnavailableException from a Redis limiter while Redis is unavailable, whatever its failure
   *     policy
   */
  void reset();

  /**
   * The limit that applies to the key now: {@link RateLimiter#limitFor(String)}.
   *
   * @return the resolver's answer, or the limiter's default limit
   */
  RateLimit limit();
}
