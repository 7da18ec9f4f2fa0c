package io.distkit.ratelimit;

import io.distkit.core.BackendUnavailableException;
import io.distkit.core.FailurePolicy;

/**
 * Hears about a limiter's decisions and troubles, key by key. Every method defaults to a no-op. Methods run on
 * the calling thread, inside {@code tryAcquire}: keep them fast. One that throws is logged at WARN and the
 * decision stands.
 *
 * <p>For metrics, the Redis limiter also reports its backend events without the key, through core's
 * {@link io.distkit.core.BackendListener} (see {@code RedisRateLimiter.Builder.backendListener}), the same
 * events every distkit primitive reports.
 */
public interface RateLimiterListener {

  /**
   * Permits were granted.
   *
   * @param key the key
   * @param decision the decision
   */
  default void onAllowed(String key, RateLimitDecision decision) {}

  /**
   * Permits were denied.
   *
   * @param key the key
   * @param decision the decision, with {@link RateLimitDecision#retryAfter()}
   */
  default void onDenied(String key, RateLimitDecision decision) {}

  /**
   * Redis could not be asked (it is down, unreachable, too slow, or a guard remembers it so).
   *
   * @param key the key
   * @param error what went wrong; {@link BackendUnavailableException#isFailFast()} tells whether Redis was
   *     contacted
   */
  default void onBackendError(String key, BackendUnavailableException error) {}

  /**
   * A decision was made by the failure policy instead of Redis.
   *
   * @param key the key
   * @param policy {@link FailurePolicy#FAIL_OPEN} or {@link FailurePolicy#FALLBACK_TO_LOCAL}
   */
  default void onFallback(String key, FailurePolicy policy) {}
}
