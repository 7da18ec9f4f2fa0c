package io.distkit.ratelimit.local;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.distkit.core.Clock;
import io.distkit.core.internal.Require;
import io.distkit.ratelimit.RateLimitDecision;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.ratelimit.RateLimiterBuilder;
import io.distkit.ratelimit.RateLimiterStats;
import io.distkit.ratelimit.internal.AbstractRateLimiter;
import io.distkit.ratelimit.internal.CompiledLimit;
import io.distkit.ratelimit.internal.LimiterSettings;
import io.distkit.ratelimit.internal.MonotonicMicros;
import org.jspecify.annotations.Nullable;

/**
 * A rate limiter that keeps its state in this JVM.
 *
 * <pre>{@code
 * RateLimiter limiter = LocalRateLimiter.builder()
 *     .limit(RateLimit.of(Algorithm.TOKEN_BUCKET, 100, Duration.ofMinutes(1)))
 *     .build();
 * }</pre>
 *
 * <p><b>State.</b> One small object per key (two to four longs per bandwidth; a sliding log keeps one long
 * per permit admitted within its period), in a bounded map ({@link Builder#maxKeys(long)}, Caffeine). A key
 * is forgotten only once its state is surely back to fresh (every bandwidth full again), plus a one-second
 * margin, so forgetting never changes a decision. Only if more than {@code maxKeys} keys are active at once
 * does the map evict keys that are not fresh yet, and those keys then start fresh: size it above your peak of
 * active keys.
 *
 * <p><b>Concurrency.</b> No global lock: each key is guarded by its own monitor, held for a few arithmetic
 * operations (never across I/O). Deciding for an existing key allocates nothing when called through
 * {@link RateLimiter#tryConsume(String, long)}.
 *
 * <p><b>Time.</b> Decisions read the injected clock's monotonic {@link Clock#nanoTime()}, anchored to its
 * wall time once at construction, in whole microseconds. Windows (fixed window, sliding window counter) are
 * therefore aligned to the epoch like the Redis limiter's, and wall-clock jumps do not affect decisions.
 */
public final class LocalRateLimiter extends AbstractRateLimiter {

  /** The default {@linkplain Builder#maxKeys(long) bound} on keys held at once. */
  public static final long DEFAULT_MAX_KEYS = 1_000_000;

  private final Cache<String, KeyState> states;
  private final MonotonicMicros time;

  private LocalRateLimiter(LimiterSettings settings, long maxKeys) {
    super(settings);
    this.time = new MonotonicMicros(clock);
    this.states = Caffeine.newBuilder()
        .maximumSize(maxKeys)
        .ticker(clock::nanoTime)
        .executor(Runnable::run)
        .expireAfter(new ForgetWhenFresh()) // per key: a call may pass a limit of its own
        .evictionListener((String key, @Nullable KeyState state, RemovalCause cause) -> {
          if (state != null) {
            retire(state);
          }
        })
        .build();
  }

  /**
   * Starts configuring a local limiter.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  protected RateLimitDecision decide(String key, long permits, CompiledLimit limit) {
    while (true) {
      KeyState state = stateOf(key, limit);
      synchronized (state) {
        if (decideLocked(state, limit, permits)) {
          return state.toDecision(limit, permits);
        }
      }
    }
  }

  @Override
  protected boolean consume(String key, long permits, CompiledLimit limit) {
    while (true) {
      KeyState state = stateOf(key, limit);
      synchronized (state) {
        if (decideLocked(state, limit, permits)) {
          return state.reason == KeyState.ALLOWED; // no decision object, no remaining/retry arithmetic
        }
      }
    }
  }

  /**
   * Decides while holding the state's monitor.
   *
   * @return false when the map dropped the state between lookup and lock: look the key up again
   */
  private boolean decideLocked(KeyState state, CompiledLimit limit, long permits) {
    if (state.retired) {
      return false;
    }
    if (state.limit != limit) {
      state.limit = limit; // a volatile write only when the key's limit changed
    }
    state.decide(limit, time.now(), permits);
    return true;
  }

  private KeyState stateOf(String key, CompiledLimit limit) {
    KeyState state = states.getIfPresent(key);
    if (state != null && isOf(state, limit)) {
      return state;
    }
    return states.asMap().compute(key, (k, existing) -> {
      if (existing != null && isOf(existing, limit)) {
        return existing;
      }
      if (existing != null) {
        retire(existing); // the key switched algorithm: its old state means nothing now
      }
      return newState(limit);
    });
  }

  private static boolean isOf(KeyState state, CompiledLimit limit) {
    return state.limit.algorithm() == limit.algorithm();
  }

  private static void retire(KeyState state) {
    synchronized (state) {
      state.retired = true;
    }
  }

  private static KeyState newState(CompiledLimit limit) {
    return switch (limit.algorithm()) {
      case TOKEN_BUCKET -> new TokenBucketState(limit);
      case GCRA -> new GcraState(limit);
      case FIXED_WINDOW -> new FixedWindowState(limit);
      case SLIDING_LOG -> new SlidingLogState(limit);
      case SLIDING_WINDOW_COUNTER -> new SlidingWindowCounterState(limit);
    };
  }

  @Override
  public void reset(String key) {
    checkKey(key);
    KeyState removed = states.asMap().remove(key);
    if (removed != null) {
      retire(removed);
    }
  }

  @Override
  public RateLimiterStats stats() {
    return new RateLimiterStats(allowedCount(), deniedCount(), 0, 0, states.estimatedSize());
  }

  @Override
  public String toString() {
    return "LocalRateLimiter[keys=" + states.estimatedSize() + "]";
  }

  /**
   * Keeps a key until its state is surely fresh: the limit's longest time from any state back to fresh,
   * counted from the latest access (every access is followed by at most one consumption).
   */
  private static final class ForgetWhenFresh implements Expiry<String, KeyState> {
    private static long nanos(KeyState state) {
      return state.limit.surelyFreshNanos();
    }

    @Override
    public long expireAfterCreate(String key, KeyState state, long currentTime) {
      return nanos(state);
    }

    @Override
    public long expireAfterUpdate(String key, KeyState state, long currentTime, long currentDuration) {
      return nanos(state);
    }

    @Override
    public long expireAfterRead(String key, KeyState state, long currentTime, long currentDuration) {
      return nanos(state);
    }
  }

  /** Configures a {@link LocalRateLimiter}. Not thread-safe; build once. */
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
    public LocalRateLimiter build() {
      return new LocalRateLimiter(settings(), maxKeys);
    }
  }
}
