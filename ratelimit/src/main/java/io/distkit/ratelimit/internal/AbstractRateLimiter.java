package io.distkit.ratelimit.internal;

import io.distkit.core.Clock;
import io.distkit.core.Sleeper;
import io.distkit.core.internal.Listeners;
import io.distkit.core.internal.PerThreadCounts;
import io.distkit.core.internal.Require;
import io.distkit.core.redis.RedisKeys;
import io.distkit.ratelimit.BoundRateLimiter;
import io.distkit.ratelimit.LimitResolver;
import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimitDecision;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.ratelimit.RateLimiterListener;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What every limiter does the same way: argument checks, limit resolution, counting, listener calls, the
 * blocking {@code acquire} and the handles of {@link #forKey(String)}. Subclasses make decisions, for a key
 * ({@link #decide}, {@link #consume}) or through a {@link Binding} made once per handle.
 *
 * <p>Not API: extended only by package-private implementation classes.
 */
public abstract class AbstractRateLimiter implements RateLimiter {

  private final LimitResolver resolver;
  private final @Nullable CompiledLimit fixed;
  private final Sleeper sleeper;
  private final RateLimiterListener listener;
  private final boolean hasListener;
  private final boolean checksNewKeys;

  /** The clock every decision reads. */
  protected final Clock clock;

  private static final int GRANTED = 0;
  private static final int DENIED = 1;
  private final PerThreadCounts counts = new PerThreadCounts(2);

  /**
   * For subclasses.
   *
   * @param settings what the builder was told
   * @param checksNewKeys true when the implementation calls {@link #checkKey} itself for every key it has
   *     not seen before (so a key it holds state for needs no check): then {@link #decide} and
   *     {@link #consume} may get unchecked keys when the limit is fixed
   */
  protected AbstractRateLimiter(LimiterSettings settings, boolean checksNewKeys) {
    this.checksNewKeys = checksNewKeys && settings.fixedLimit() != null;
    this.resolver = settings.resolver();
    RateLimit fixedLimit = settings.fixedLimit();
    this.fixed = fixedLimit == null ? null : CompiledLimit.of(fixedLimit);
    this.clock = settings.clock();
    this.sleeper = settings.sleeper();
    this.listener = settings.listener();
    this.hasListener = settings.hasListener();
  }

  /**
   * An implementation's hold on one key, made once per {@link BoundRateLimiter}: whatever lets it decide for
   * that key without finding it again (the local state, the encoded Redis key).
   */
  public abstract static class Binding {

    /** For subclasses. */
    protected Binding() {}

    /**
     * Decides and consumes, building the full decision.
     *
     * @param permits at least 1
     * @param limit the key's limit for this call
     * @return the decision
     */
    protected abstract RateLimitDecision decide(long permits, CompiledLimit limit);

    /**
     * Decides and consumes, answering only yes or no.
     *
     * @param permits at least 1
     * @param limit the key's limit for this call
     * @return whether the permits were granted
     */
    protected boolean consume(long permits, CompiledLimit limit) {
      return decide(permits, limit).allowed();
    }
  }

  /**
   * Decides and consumes, building the full decision.
   *
   * @param key a checked key, or (for an implementation that checks new keys itself) a non-null key
   * @param permits at least 1
   * @param limit the key's limit for this call
   * @return the decision
   */
  protected abstract RateLimitDecision decide(String key, long permits, CompiledLimit limit);

  /**
   * Decides and consumes, answering only yes or no. Override where that can skip allocating a decision.
   *
   * @param key as for {@link #decide(String, long, CompiledLimit)}
   * @param permits at least 1
   * @param limit the key's limit for this call
   * @return whether the permits were granted
   */
  protected boolean consume(String key, long permits, CompiledLimit limit) {
    return decide(key, permits, limit).allowed();
  }

  /**
   * Binds a key, for a handle.
   *
   * @param key a checked key
   * @return the binding
   */
  protected abstract Binding bind(String key);

  @Override
  public final RateLimitDecision tryAcquire(String key) {
    return tryAcquire(key, 1);
  }

  @Override
  public final RateLimitDecision tryAcquire(String key, long permits) {
    Require.positive(permits, "permits");
    checkKeyLazily(key);
    return record(key, decide(key, permits, compiledFor(key)));
  }

  @Override
  public final RateLimitDecision tryAcquire(String key, long permits, RateLimit limit) {
    Require.positive(permits, "permits");
    Objects.requireNonNull(limit, "limit");
    checkKeyLazily(key);
    return record(key, decide(key, permits, CompiledLimit.of(limit)));
  }

  @Override
  public final boolean tryConsume(String key, long permits) {
    Require.positive(permits, "permits");
    checkKeyLazily(key);
    CompiledLimit limit = compiledFor(key);
    if (hasListener) {
      return record(key, decide(key, permits, limit)).allowed();
    }
    return count(consume(key, permits, limit));
  }

  @Override
  public final boolean acquire(String key, long permits, Duration maxWait) throws InterruptedException {
    checkKey(key);
    return acquire(key, permits, maxWait, (n, l) -> decide(key, n, l), null);
  }

  @Override
  public final boolean acquire(String key, long permits, Duration maxWait, RateLimit limit)
      throws InterruptedException {
    checkKey(key);
    Objects.requireNonNull(limit, "limit");
    return acquire(key, permits, maxWait, (n, l) -> decide(key, n, l), CompiledLimit.of(limit));
  }

  /** One decision of a waiting acquire. */
  @FunctionalInterface
  private interface Decider {
    RateLimitDecision decide(long permits, CompiledLimit limit);
  }

  private boolean acquire(String key, long permits, Duration maxWait, Decider decider,
      @Nullable CompiledLimit explicit) throws InterruptedException {
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
      CompiledLimit limit = explicit != null ? explicit : compiledFor(key);
      RateLimitDecision decision = record(key, decider.decide(permits, limit));
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

  @Override
  public final BoundRateLimiter forKey(String key) {
    checkKey(key);
    return new Bound(key, bind(key));
  }

  /**
   * The compiled limit of a key, without a lookup when every key shares one limit.
   *
   * @param key a checked key
   * @return its compiled limit
   */
  protected final CompiledLimit compiledFor(String key) {
    CompiledLimit compiled = fixed;
    return compiled != null ? compiled : compile(resolve(key), null);
  }

  private RateLimit resolve(String key) {
    RateLimit limit = resolver.limitFor(key);
    if (limit == null) {
      throw new NullPointerException("LimitResolver " + resolver + " returned no limit for key '" + key + "'");
    }
    return limit;
  }

  /** The compiled form of a resolved limit: {@code last} again when it was compiled from the same instance. */
  private static CompiledLimit compile(RateLimit limit, @Nullable CompiledLimit last) {
    return last != null && last.limit() == limit ? last : CompiledLimit.of(limit);
  }

  /** Checks a key now, or leaves it to an implementation that checks every key new to it. */
  private void checkKeyLazily(String key) {
    if (checksNewKeys) {
      Objects.requireNonNull(key, "key");
    } else {
      checkKey(key);
    }
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
    counts.increment(decision.allowed() ? GRANTED : DENIED);
    if (decision.allowed()) {
      if (hasListener) {
        Listeners.notify(listener, "onAllowed", l -> l.onAllowed(key, decision));
      }
    } else {
      if (hasListener) {
        Listeners.notify(listener, "onDenied", l -> l.onDenied(key, decision));
      }
    }
    return decision;
  }

  private boolean count(boolean granted) {
    counts.increment(granted ? GRANTED : DENIED);
    return granted;
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
    return counts.sum(GRANTED);
  }

  /**
   * Requests denied so far.
   *
   * @return the count
   */
  protected final long deniedCount() {
    return counts.sum(DENIED);
  }

  /** A handle: the limiter's own logic, with the key checked once and bound by the implementation. */
  private final class Bound implements BoundRateLimiter {
    private final String key;
    private final Binding binding;
    /** The last limit compiled for a resolver's answer; a racy cache, any value is correct. */
    private @Nullable CompiledLimit last;

    Bound(String key, Binding binding) {
      this.key = key;
      this.binding = binding;
    }

    private CompiledLimit limitNow() {
      CompiledLimit compiled = fixed;
      if (compiled == null) {
        compiled = compile(resolve(key), last);
        last = compiled;
      }
      return compiled;
    }

    @Override
    public String key() {
      return key;
    }

    @Override
    public RateLimitDecision tryAcquire() {
      return tryAcquire(1);
    }

    @Override
    public RateLimitDecision tryAcquire(long permits) {
      Require.positive(permits, "permits");
      return record(key, binding.decide(permits, limitNow()));
    }

    @Override
    public boolean tryConsume(long permits) {
      Require.positive(permits, "permits");
      CompiledLimit limit = limitNow();
      if (hasListener) {
        return record(key, binding.decide(permits, limit)).allowed();
      }
      return count(binding.consume(permits, limit));
    }

    @Override
    public boolean acquire(long permits, Duration maxWait) throws InterruptedException {
      return AbstractRateLimiter.this.acquire(key, permits, maxWait, binding::decide, null);
    }

    @Override
    public void reset() {
      AbstractRateLimiter.this.reset(key);
    }

    @Override
    public RateLimit limit() {
      return limitNow().limit();
    }

    @Override
    public String toString() {
      return "BoundRateLimiter[" + key + " of " + AbstractRateLimiter.this + "]";
    }
  }
}
