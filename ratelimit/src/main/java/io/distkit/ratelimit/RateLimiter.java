package io.distkit.ratelimit;

import io.distkit.core.BackendUnavailableException;
import java.time.Duration;

/**
 * Decides whether a key may have permits now. One interface, two implementations that make the same
 * decisions: {@code LocalRateLimiter} (in this JVM) and {@code RedisRateLimiter} (shared by every JVM on the
 * same Redis).
 *
 * <pre>{@code
 * RateLimiter limiter = LocalRateLimiter.builder().limit(RateLimit.of(Algorithm.GCRA, 100, ofMinutes(1))).build();
 * RateLimitDecision d = limiter.tryAcquire("user-42");
 * if (!d.allowed()) {
 *   respond(429, "Retry-After", d.retryAfterSeconds());
 * }
 * }</pre>
 *
 * <p>Each key has its own state. Its limit is the limiter's default, or what the limiter's
 * {@link LimitResolver} says for it, or the limit passed to the call. Keys must not be blank and must be at
 * most 1,024 bytes of UTF-8; permits must be at least 1. Bad input throws {@link IllegalArgumentException} (or
 * {@link NullPointerException} for null) naming the bad value, and changes no state.
 *
 * <p>A denial is a value ({@link RateLimitDecision#allowed()} is false), never an exception. Only a Redis
 * limiter whose failure policy is fail-closed throws, {@link BackendUnavailableException}, while Redis is
 * unavailable.
 *
 * <p>Implementations are thread-safe.
 */
public interface RateLimiter {

  /**
   * Asks for one permit under the key's limit.
   *
   * @param key the key, e.g. a user or client id
   * @return the decision; granted permits are consumed
   * @throws BackendUnavailableException only from a fail-closed Redis limiter while Redis is unavailable
   */
  RateLimitDecision tryAcquire(String key);

  /**
   * Asks for permits under the key's limit, atomically across all its bandwidths: if one denies, none is
   * consumed. A request for more permits than some bandwidth's burst is denied with
   * {@link RateLimitDecision.Reason#EXCEEDS_CAPACITY}.
   *
   * @param key the key
   * @param permits at least 1
   * @return the decision; granted permits are consumed
   * @throws BackendUnavailableException only from a fail-closed Redis limiter while Redis is unavailable
   */
  RateLimitDecision tryAcquire(String key, long permits);

  /**
   * Asks for permits under a limit chosen by the caller for this call (a tier), instead of the limiter's.
   *
   * @param key the key
   * @param permits at least 1
   * @param limit the limit to apply
   * @return the decision; granted permits are consumed
   * @throws BackendUnavailableException only from a fail-closed Redis limiter while Redis is unavailable
   */
  RateLimitDecision tryAcquire(String key, long permits, RateLimit limit);

  /**
   * {@code tryAcquire(key, permits).allowed()}, without building a decision: the allocation-free call for hot
   * paths that only need yes or no.
   *
   * @param key the key
   * @param permits at least 1
   * @return whether the permits were granted (and consumed)
   * @throws BackendUnavailableException only from a fail-closed Redis limiter while Redis is unavailable
   */
  boolean tryConsume(String key, long permits);

  /**
   * Waits until the permits are granted, or returns false as soon as it knows they will not be within
   * {@code maxWait}: at once when the decision's retry-after already exceeds the time left, and at once for a
   * request that exceeds the limit's capacity. It sleeps for each retry-after (never polls in a loop) and asks
   * again; under contention another caller may take the permits first, so it may ask several times. Not
   * fair: waiting callers are not served in order.
   *
   * @param key the key
   * @param permits at least 1
   * @param maxWait the longest to wait; zero means try once
   * @return true when the permits were granted (and consumed)
   * @throws InterruptedException if interrupted while waiting; nothing is consumed then
   * @throws BackendUnavailableException only from a fail-closed Redis limiter while Redis is unavailable
   */
  boolean acquire(String key, long permits, Duration maxWait) throws InterruptedException;

  /**
   * {@link #acquire(String, long, Duration)} under a limit chosen by the caller for this call.
   *
   * @param key the key
   * @param permits at least 1
   * @param maxWait the longest to wait; zero means try once
   * @param limit the limit to apply
   * @return true when the permits were granted (and consumed)
   * @throws InterruptedException if interrupted while waiting; nothing is consumed then
   * @throws BackendUnavailableException only from a fail-closed Redis limiter while Redis is unavailable
   */
  boolean acquire(String key, long permits, Duration maxWait, RateLimit limit) throws InterruptedException;

  /**
   * A handle bound to one key, for a key used so often that looking it up on every call matters: one
   * resource guarded by one limit, called from many threads. The handle makes the same decisions as this
   * limiter's keyed methods, on the same state, without checking and finding the key again on each call.
   *
   * <pre>{@code
   * BoundRateLimiter partnerApi = limiter.forKey("partner-api");
   * boolean go = partnerApi.tryConsume(1);
   * }</pre>
   *
   * @param key the key, checked once here
   * @return a handle; cheap to make, holds no resources
   */
  BoundRateLimiter forKey(String key);

  /**
   * Forgets the key's state: its next request sees a fresh limit.
   *
   * @param key the key
   * @throws BackendUnavailableException from a Redis limiter while Redis is unavailable, whatever its failure
   *     policy (a reset that silently did not happen would be worse)
   */
  void reset(String key);

  /**
   * The limit that applies to a key when the call does not name one.
   *
   * @param key the key
   * @return the resolver's answer, or the limiter's default limit
   */
  RateLimit limitFor(String key);

  /**
   * The limiter's counters.
   *
   * @return a snapshot
   */
  RateLimiterStats stats();
}
