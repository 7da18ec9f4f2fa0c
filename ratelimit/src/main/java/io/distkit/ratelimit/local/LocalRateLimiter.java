package io.distkit.ratelimit.local;

import io.distkit.core.Clock;
import io.distkit.core.internal.Require;
import io.distkit.ratelimit.BoundRateLimiter;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.ratelimit.RateLimiterBuilder;
import io.distkit.ratelimit.internal.LimiterSettings;

/**
 * Builds rate limiters that keep their state in this JVM: the entry point of the local implementation of
 * {@link RateLimiter}.
 *
 * <pre>{@code
 * RateLimiter limiter = LocalRateLimiter.builder()
 *     .limit(RateLimit.of(Algorithm.TOKEN_BUCKET, 100, Duration.ofMinutes(1)))
 *     .build();
 * }</pre>
 *
 * <p><b>State.</b> One small object per key (two to four longs per bandwidth; a sliding log keeps one long
 * per permit admitted within its period; a single-bandwidth token bucket or GCRA is one {@code long}), in a
 * map bounded by {@link Builder#maxKeys(long)} (Caffeine,
 * size-based eviction). A key is forgotten once its state is surely back to fresh (every bandwidth full
 * again, plus a one-second margin), by a sweep that checks a few keys every few hundred calls, so forgetting
 * never changes a decision and no caller pays for a pass over the whole map; and, so that a limiter whose calls
 * stop forgets its keys too, by a step of up to 65,536 keys once a second on the
 * {@linkplain Builder#scheduler(io.distkit.core.session.Scheduler) scheduler} while it holds any (the step holds
 * the limiter weakly; it starts no thread of its own). Only if more than
 * {@code maxKeys} keys are active at once does the map evict keys that are not fresh yet, and those keys then
 * start fresh: size it above your peak of active keys.
 *
 * <p><b>Concurrency.</b> No global lock. A single-bandwidth token bucket or GCRA (the common case) is one
 * word updated by compare-and-set: no lock at all, and a denial is a read that writes nothing, so threads
 * hammering one key share its cache line instead of fighting over it. Other keys are guarded each by its own
 * monitor, held for a few arithmetic operations (never across I/O); for a multi-bandwidth token bucket or
 * GCRA, a request that surely cannot fit is refused from a lock-free consistent read (a seqlock). Deciding for
 * an existing key allocates nothing when called through {@link RateLimiter#tryConsume(String, long)} or
 * {@link BoundRateLimiter#tryConsume(long)}; a {@linkplain RateLimiter#forKey(String) handle} also skips
 * checking the key and finding it in the map, which is what one hot key called from many threads wants.
 *
 * <p><b>Time.</b> Decisions read the injected clock's monotonic {@link Clock#nanoTime()}, anchored to its
 * wall time once at construction, in whole microseconds. Windows (fixed window, sliding window counter) are
 * therefore aligned to the epoch like the Redis limiter's, and wall-clock jumps do not affect decisions.
 */
public final class LocalRateLimiter {

  /** The default {@linkplain Builder#maxKeys(long) bound} on keys held at once. */
  public static final long DEFAULT_MAX_KEYS = 1_000_000;

  private LocalRateLimiter() {}

  /**
   * Starts configuring a local limiter.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Configures a local {@link RateLimiter}. Not thread-safe; build once. */
  public static final class Builder extends RateLimiterBuilder<Builder> {
    private long maxKeys = DEFAULT_MAX_KEYS;

    private Builder() {}

    /**
     * The most keys held at once. Beyond it, the least valuable keys are evicted even if not fresh yet (they
     * then start fresh).
     *
     * @param maxKeys at least 1; default {@link #DEFAULT_MAX_KEYS} (1,000,000)
     * @return this builder
     */
    public Builder maxKeys(long maxKeys) {
      this.maxKeys = Require.positive(maxKeys, "maxKeys");
      return this;
    }

    @Override
    public RateLimiter build() {
      return new LocalLimiter(LimiterSettings.of(limit(), limits(), clock(), sleeper(), scheduler(), listener()), maxKeys);
    }
  }
}
