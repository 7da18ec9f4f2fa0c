package io.distkit.ratelimit.local;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
import java.util.Iterator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * per permit admitted within its period), in a map bounded by {@link Builder#maxKeys(long)} (Caffeine,
 * size-based eviction). A key is forgotten once its state is surely back to fresh (every bandwidth full
 * again, plus a one-second margin), by a sweep that checks a few keys every few hundred calls, so forgetting
 * never changes a decision and no caller pays for a pass over the whole map. Only if more than
 * {@code maxKeys} keys are active at once does the map evict keys that are not fresh yet, and those keys then
 * start fresh: size it above your peak of active keys.
 *
 * <p><b>Concurrency.</b> No global lock: each key is guarded by its own monitor, held for a few arithmetic
 * operations (never across I/O). For the token bucket and GCRA, {@code tryConsume} on a key that was just
 * denied first checks, from a lock-free consistent read (a seqlock), whether the request surely cannot fit,
 * and then refuses it without taking the lock or writing anything, so threads hammering a limited key do not
 * contend. Deciding for an existing
 * key allocates nothing when called through {@link RateLimiter#tryConsume(String, long)}.
 *
 * <p><b>Time.</b> Decisions read the injected clock's monotonic {@link Clock#nanoTime()}, anchored to its
 * wall time once at construction, in whole microseconds. Windows (fixed window, sliding window counter) are
 * therefore aligned to the epoch like the Redis limiter's, and wall-clock jumps do not affect decisions.
 */
public final class LocalRateLimiter extends AbstractRateLimiter {

  /** The default {@linkplain Builder#maxKeys(long) bound} on keys held at once. */
  public static final long DEFAULT_MAX_KEYS = 1_000_000;

  /** Map maintenance: how many keys one sweep step looks at, and how often (1 in SWEEP_EVERY calls). */
  private static final int SWEEP_STEP = 64;
  private static final int SWEEP_EVERY = 256;
  private static final long PASS_INTERVAL_MICROS = 1_000_000;

  private final Cache<String, KeyState> states;
  private final MonotonicMicros time;
  private final AtomicBoolean sweeping = new AtomicBoolean();
  private @Nullable Iterator<KeyState> sweep; // guarded by sweeping
  private long nextPassAt; // guarded by sweeping

  private LocalRateLimiter(LimiterSettings settings, long maxKeys) {
    super(settings);
    this.time = new MonotonicMicros(clock);
    // Caffeine bounds the map (size-based eviction); it does no expiry, which would read a clock on every
    // lookup: keys that are surely fresh are forgotten by sweep() instead
    this.states = Caffeine.newBuilder()
        .maximumSize(maxKeys)
        .executor(Runnable::run)
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
    long now = time.now();
    maybeSweep(now);
    while (true) {
      KeyState state = stateOf(key, limit);
      synchronized (state) {
        if (!state.retired) { // else the map dropped it between lookup and lock: look again
          state.decide(limit, now, permits);
          return state.toDecision(limit, permits);
        }
      }
    }
  }

  @Override
  protected boolean consume(String key, long permits, CompiledLimit limit) {
    long now = time.now();
    maybeSweep(now);
    while (true) {
      KeyState state = stateOf(key, limit);
      // a key that was just denied is likely denied again: refuse without the lock if the state says so
      if (state.lastDenied && state.surelyRefused(limit, now, permits)) {
        return false;
      }
      synchronized (state) {
        if (!state.retired) {
          return state.decide(limit, now, permits); // no decision object, no remaining/retry arithmetic
        }
      }
    }
  }

  private void maybeSweep(long now) {
    if ((ThreadLocalRandom.current().nextInt() & (SWEEP_EVERY - 1)) == 0 && sweeping.compareAndSet(false, true)) {
      try {
        Iterator<KeyState> cursor = sweep;
        if (cursor == null || !cursor.hasNext()) {
          if (now < nextPassAt) {
            return; // a small map is not rescanned on every step: at most one new pass a second
          }
          cursor = states.asMap().values().iterator();
          nextPassAt = now + PASS_INTERVAL_MICROS;
        }
        forgetFresh(cursor, SWEEP_STEP, now);
        sweep = cursor;
      } finally {
        sweeping.set(false);
      }
    }
  }

  /**
   * Forgets every key whose state is surely fresh now, at once. The limiter does this by itself, a few keys
   * every few hundred calls; call this to reclaim memory immediately. Forgetting never changes a decision.
   */
  public void cleanUp() {
    forgetFresh(states.asMap().values().iterator(), Integer.MAX_VALUE, time.now());
  }

  /**
   * Looks at up to {@code budget} more keys of a pass and forgets those whose state is surely fresh at
   * {@code now}; never starts another pass.
   */
  private static void forgetFresh(Iterator<KeyState> cursor, int budget, long now) {
    for (int i = 0; i < budget && cursor.hasNext(); i++) {
      KeyState state = cursor.next();
      if (state.surelyFreshAt <= now) { // a hint, read without the monitor; checked again under it
        synchronized (state) {
          if (!state.retired && state.surelyFreshAt <= now) {
            retireLocked(state);
            cursor.remove();
          }
        }
      }
    }
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
    return state.algorithm == limit.algorithm();
  }

  private static void retire(KeyState state) {
    synchronized (state) {
      retireLocked(state);
    }
  }

  private static void retireLocked(KeyState state) {
    state.beginWrite(); // a lock-free reader must not trust what it read across this
    state.retired = true;
    state.endWrite();
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
