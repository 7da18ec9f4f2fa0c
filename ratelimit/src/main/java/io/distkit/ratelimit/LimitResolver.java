package io.distkit.ratelimit;

/**
 * Chooses the {@link RateLimit} of a key, so one limiter can serve keys with different limits (tiers) without
 * one limiter object per key.
 *
 * <pre>{@code
 * LimitResolver tiers = key -> key.startsWith("pro:") ? PRO : FREE;
 * }</pre>
 *
 * <p>Called on every request, so keep it cheap and return shared constants, not new limits. It must be
 * thread-safe and must not return null. A key whose limit changes keeps its usage: tokens or counts carry
 * over, rounded against the caller.
 */
@FunctionalInterface
public interface LimitResolver {

  /**
   * The limit for a key.
   *
   * @param key the caller's key, already validated (not blank, at most 1,024 bytes of UTF-8)
   * @return the key's limit
   */
  RateLimit limitFor(String key);
}
