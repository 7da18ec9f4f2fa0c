package io.distkit.ratelimit;

import java.time.Duration;

/**
 * The answer to a request for permits: whether they were granted, and what the caller needs next.
 *
 * <p>All durations are whole microseconds; {@link #retryAfter()} of a denied request is at least 1 µs. For a
 * request that can never be granted ({@link Reason#EXCEEDS_CAPACITY}) it is {@link #NEVER}.
 *
 * @param allowed whether the permits were granted (and consumed)
 * @param reason why: {@link Reason#ALLOWED}, or why not
 * @param remaining permits a request could still get right now, after this one (the smallest over the
 *     bandwidths); for {@link Source#FAIL_OPEN} decisions, the limit's capacity
 * @param retryAfterMicros when denied, how long until the same request would be granted if nothing else
 *     consumed meanwhile; 0 when allowed
 * @param resetAfterMicros how long until the key's state is back to fresh (every bandwidth full again)
 * @param source who decided: the limiter, or a fallback during a backend outage
 */
public record RateLimitDecision(
    boolean allowed,
    Reason reason,
    long remaining,
    long retryAfterMicros,
    long resetAfterMicros,
    Source source) {

  /** The {@link #retryAfter()} of a request that can never be granted. */
  public static final Duration NEVER = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);

  /** Why a decision came out as it did. */
  public enum Reason {
    /** Granted. */
    ALLOWED,
    /** Denied for now: not enough permits; {@link #retryAfter()} says when. */
    RATE_LIMITED,
    /** Denied forever: more permits than some bandwidth's burst can ever hold. */
    EXCEEDS_CAPACITY
  }

  /** Who made a decision. */
  public enum Source {
    /** The limiter itself (local state, or Redis). */
    LIMITER,
    /** A local limiter holding this JVM's share of the limit, while Redis is unavailable. */
    LOCAL_FALLBACK,
    /** No limiter at all: Redis is unavailable and the failure policy is to allow. */
    FAIL_OPEN
  }

  /**
   * How long until the same request would be granted.
   *
   * @return zero when allowed; {@link #NEVER} for {@link Reason#EXCEEDS_CAPACITY}
   */
  public Duration retryAfter() {
    return reason == Reason.EXCEEDS_CAPACITY ? NEVER : Duration.ofNanos(Math.multiplyExact(retryAfterMicros, 1000L));
  }

  /**
   * How long until every bandwidth of the key is full again.
   *
   * @return the time to a fresh state
   */
  public Duration resetAfter() {
    return Duration.ofNanos(Math.multiplyExact(resetAfterMicros, 1000L));
  }

  /**
   * {@link #retryAfter()} in whole seconds, rounded up, for an HTTP {@code Retry-After} header.
   *
   * @return seconds, at least 1 when denied, 0 when allowed; {@link Long#MAX_VALUE} for
   *     {@link Reason#EXCEEDS_CAPACITY}
   */
  public long retryAfterSeconds() {
    if (reason == Reason.EXCEEDS_CAPACITY) {
      return Long.MAX_VALUE;
    }
    return (retryAfterMicros + 999_999) / 1_000_000;
  }
}
