package io.distkit.pool.jobs.internal;

import io.distkit.pool.jobs.GroupLimits;
import io.distkit.ratelimit.RateLimitDecision;
import io.distkit.ratelimit.RateLimiter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link GroupLimits} to the attempts of one set of workers: a worker asks {@link #enter} before it runs an
 * attempt and, when let in, calls {@link #leave} after it. Thread-safe.
 */
public final class GroupGate {

  private static final Logger log = LoggerFactory.getLogger(GroupGate.class);
  /** The longest deferral: a rate limiter's "never" (a permit above its capacity) retries after a minute. */
  private static final long MAX_DEFERRAL_NANOS = 60_000_000_000L;

  private final GroupLimits limits;
  private final @Nullable RateLimiter rateLimiter;
  private final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
  private final long deferralNanos;

  /**
   * A gate for one set of workers.
   *
   * @param limits the limits
   */
  public GroupGate(GroupLimits limits) {
    this.limits = limits;
    this.rateLimiter = limits.rateLimiter().orElse(null);
    this.deferralNanos = limits.deferral().toNanos();
  }

  /**
   * Whether an attempt of {@code group} may start now.
   *
   * @param group the job's group; null: none (always let in)
   * @return 0 when it may start (then call {@link #leave} after it), else how long to defer the job, in ns
   */
  public long enter(@Nullable String group) {
    if (group == null) {
      return 0;
    }
    int max = limits.maxConcurrentOf(group);
    AtomicInteger count = null;
    if (max > 0) {
      count = running.computeIfAbsent(group, g -> new AtomicInteger());
      if (count.incrementAndGet() > max) {
        count.decrementAndGet();
        return deferralNanos;
      }
    }
    if (rateLimiter != null) {
      long defer;
      try {
        RateLimitDecision decision = rateLimiter.tryAcquire(group);
        long micros = decision.retryAfterMicros();
        defer = decision.allowed() ? 0
            : micros >= MAX_DEFERRAL_NANOS / 1_000 ? MAX_DEFERRAL_NANOS : Math.max(1_000_000L, micros * 1_000);
      } catch (RuntimeException e) { // Redis down under a fail-closed limiter, or a broken limiter: never a lost job
        log.warn("Rate limiter of job group {} failed; deferring its job", group, e);
        defer = deferralNanos;
      }
      if (defer > 0) {
        if (count != null) {
          count.decrementAndGet();
        }
        return defer;
      }
    }
    return 0;
  }

  /**
   * An attempt let in by {@link #enter} ended.
   *
   * @param group the job's group, as given to {@link #enter}
   */
  public void leave(@Nullable String group) {
    if (group != null && limits.maxConcurrentOf(group) > 0) {
      running.get(group).decrementAndGet();
    }
  }
}
