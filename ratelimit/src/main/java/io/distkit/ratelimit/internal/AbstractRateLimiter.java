package io.distkit.ratelimit.internal;

import io.distkit.core.Clock;
import io.distkit.core.Sleeper;
import io.distkit.core.internal.Listeners;
import io.distkit.core.internal.Require;
import io.distkit.core.redis.RedisKeys;
import io.distkit.ratelimit.LimitResolver;
import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimitDecision;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.ratelimit.RateLimiterListener;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * What every limiter does the same way: argument checks, limit resolution, counting, listener calls and the
 * blocking {@code acquire}. Subclasses make decisions.
 *
 * <p>Not API.
 */
public abstract class AbstractRateLimiter implements RateLimiter {

  private final LimitResolver resolver;
  private final @Nullable CompiledLimit fixed;
  private final Sleeper sleeper;
  private final RateLimiterListener listener;
  private final boolean hasListener;

  /** The clock every decision reads. */
  protected final Clock clock;

  private final LongAdder allowed = new LongAdder();
  private final LongAdder denied = new LongAdder();

  /**
   * For subclasses.
   *
   * @param settings what the builder was told
   */
  protected AbstractRateLimiter(LimiterSettings settings) {
    this.resolver = settings.resolver();
    RateLimit fixedLimit = settings.fixedLimit();
    this.fixed = fixedLimit == null ? null : CompiledLimit.of(fixedLimit);
    this.clock = settings.clock();
    this.sleeper = settings.sleeper();
    this.listener = settings.listener();
    this.hasListener = settings.hasListener();
  }

  /**
   * Decides and consumes, building the full decision.
   *
   * @param key a checked key
   * @param permits at least 1
   * @param limit the key's limit for this call
   * @return the decision
   */
  protected abstract RateLimitDecision decide(String key, long permits, CompiledLimit limit);

  /**
   * Decides and consumes, answering only yes or no. Override where that can skip allocating a decision.
   *
   * @param key a checked key
   * @param permits at least 1
   * @param limit the key's limit for this call
   * @return whether the permits were granted
   */
  protected boolean consume(String key, long permits, CompiledLimit limit) {
    return decide(key, permits, limit).allowed();
  }

  @Override
  public final RateLimitDecision tryAcquire(String key) {
    return tryAcquire(key, 1);
  }

  @Override
  public final RateLimitDecision tryAcquire(String key, long permits) {
    checkKey(key);
    Require.positive(permits, "permits");
    return record(key, decide(key, permits, compiledFor(key)));
  }

  @Override
  public final RateLimitDecision tryAcquire(String key, long permits, RateLimit limit) {
    checkKey(key);
    Require.positive(permits, "permits");
    Objects.requireNonNull(limit, "limit");
    return record(key, decide(key, permits, CompiledLimit.of(limit)));
  }

  @Override
  public final boolean tryConsume(String key, long permits) {
    checkKey(key);
    Require.positive(permits, "permits");
    CompiledLimit limit = compiledFor(key);
    if (hasListener) {
      return record(key, decide(key, permits, limit)).allowed();
    }
    boolean granted = consume(key, permits, limit);
    (granted ? allowed : denied).increment();
    return granted;
  }

  @Override
  public final boolean acquire(String key, long permits, Duration maxWait) throws InterruptedException {
    checkKey(key);
    return acquire(key, permits, maxWait, compiledFor(key));
  }

  @Override
  public final boolean acquire(String key, long permits, Duration maxWait, RateLimit limit)
      throws InterruptedException {
    checkKey(key);
    Objects.requireNonNull(limit, "limit");
    return acquire(key, permits, maxWait, CompiledLimit.of(limit));
  }

  private boolean acquire(String key, long permits, Duration maxWait, CompiledLimit limit)
      throws InterruptedException {
    Require.positive(permits, "permits");
    Objects.requireNonNull(maxWait, "maxWait");
    if (maxWait.isNegative()) {
      throw new IllegalArgumentException("maxWait (" + maxWait + ") must not be negative");
    }
    long deadline = saturatedAdd(clock.nanoTime(), Require.saturatedNanos(maxWait));
    while (true) {
      if (Thread.interrupted()) {
        throw new InterruptedException("interrupted while waiting for " + permits + " permits of '" + key + "'");
      }
      RateLimitDecision decision = record(key, decide(key, permits, limit));
      if (decision.allowed()) {
        return true;
      }
      if (decision.reason() == RateLimitDecision.Reason.EXCEEDS_CAPACITY) {
        return false;
      }
      long wait = Math.multiplyExact(decision.retryAfterMicros(), 1000L);
      if (wait > deadline - clock.nanoTime()) {
        return false;
      }
      sleeper.sleep(wait);
    }
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }

  @Override
  public final RateLimit limitFor(String key) {
    checkKey(key);
    return compiledFor(key).limit();
  }

  /**
   * The compiled limit of a key, without a lookup when every key shares one limit.
   *
   * @param key a checked key
   * @return its compiled limit
   */
  protected final CompiledLimit compiledFor(String key) {
    CompiledLimit compiled = fixed;
    if (compiled != null) {
      return compiled;
    }
    RateLimit limit = resolver.limitFor(key);
    if (limit == null) {
      throw new NullPointerException("LimitResolver " + resolver + " returned no limit for key '" + key + "'");
    }
    return CompiledLimit.of(limit);
  }

  /**
   * Checks a key: not null, not blank, at most 1,024 bytes of UTF-8, no unpaired surrogate. The same rule on
   * every backend, so a key the local limiter accepts has a Redis key of its own.
   *
   * @param key the caller's key
   */
  protected static void checkKey(String key) {
    RedisKeys.checkName(key, "key");
  }

  /**
   * Counts a decision and tells the listener.
   *
   * @param key the key
   * @param decision the decision
   * @return {@code decision}
   */
  protected final RateLimitDecision record(String key, RateLimitDecision decision) {
    if (decision.allowed()) {
      allowed.increment();
      if (hasListener) {
        Listeners.notify(listener, "onAllowed", l -> l.onAllowed(key, decision));
      }
    } else {
      denied.increment();
      if (hasListener) {
        Listeners.notify(listener, "onDenied", l -> l.onDenied(key, decision));
      }
    }
    return decision;
  }

  /**
   * The listener, for subclasses' own events.
   *
   * @return the listener
   */
  protected final RateLimiterListener listener() {
    return listener;
  }

  /**
   * Whether a listener was configured.
   *
   * @return false for the default no-op
   */
  protected final boolean hasListener() {
    return hasListener;
  }

  /**
   * Requests granted so far.
   *
   * @return the count
   */
  protected final long allowedCount() {
    return allowed.sum();
  }

  /**
   * Requests denied so far.
   *
   * @return the count
   */
  protected final long deniedCount() {
    return denied.sum();
  }
}
