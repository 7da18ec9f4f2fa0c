package io.distkit.ratelimit;

/**
 * A snapshot of a limiter's counters since it was built.
 *
 * @param allowed requests granted (fallback decisions included)
 * @param denied requests denied (fallback decisions included)
 * @param backendErrors requests for which Redis could not be asked; always 0 for a local limiter
 * @param fallbacks requests decided by the failure policy (fail open or the local fallback) instead of Redis
 * @param keys keys with state held in this JVM (a local limiter, or a Redis limiter's local fallback); an
 *     estimate
 */
public record RateLimiterStats(long allowed, long denied, long backendErrors, long fallbacks, long keys) {}
