package io.distkit.ratelimit;

import io.distkit.core.Clock;
import io.distkit.core.Sleeper;
import io.distkit.ratelimit.internal.LimiterSettings;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The settings every rate limiter shares. {@code LocalRateLimiter.builder()} and
 * {@code RedisRateLimiter.builder(jedis)} extend it with their own. Not thread-safe; build once.
 *
 * @param <B> the concrete builder, so setters chain
 */
public abstract class RateLimiterBuilder<B extends RateLimiterBuilder<B>> {

  private @Nullable RateLimit limit;
  private @Nullable LimitResolver resolver;
  private Clock clock = Clock.system();
  private Sleeper sleeper = Sleeper.system();
  private RateLimiterListener listener = NoListener.INSTANCE;

  /** For subclasses. */
  protected RateLimiterBuilder() {}

  /**
   * The limit of every key (unless a {@link #limits(LimitResolver) resolver} says otherwise).
   *
   * @param limit the default limit; required unless a resolver is set
   * @return this builder
   */
  public B limit(RateLimit limit) {
    this.limit = Objects.requireNonNull(limit, "limit");
    return self();
  }

  /**
   * Chooses each key's limit, e.g. by tier. Takes precedence over {@link #limit(RateLimit)}.
   *
   * @param resolver called on every request without an explicit limit; default: none
   * @return this builder
   */
  public B limits(LimitResolver resolver) {
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    return self();
  }

  /**
   * The clock every decision reads. For a Redis limiter it matters only with client time.
   *
   * @param clock default {@link Clock#system()}
   * @return this builder
   */
  public B clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return self();
  }

  /**
   * How {@link RateLimiter#acquire} waits.
   *
   * @param sleeper default {@link Sleeper#system()}
   * @return this builder
   */
  public B sleeper(Sleeper sleeper) {
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    return self();
  }

  /**
   * Hears about decisions and backend errors.
   *
   * @param listener default: none
   * @return this builder
   */
  public B listener(RateLimiterListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    return self();
  }

  /**
   * Builds the limiter.
   *
   * @return a new limiter
   * @throws IllegalStateException when neither a limit nor a resolver was set
   */
  public abstract RateLimiter build();

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /**
   * The settings as the limiter takes them.
   *
   * @return the shared settings
   * @throws IllegalStateException when neither a limit nor a resolver was set
   */
  protected LimiterSettings settings() {
    LimitResolver chosen = resolver;
    RateLimit fixed = null;
    if (chosen == null) {
      fixed = limit;
      if (fixed == null) {
        throw new IllegalStateException("a rate limiter needs a limit(RateLimit) or a limits(LimitResolver)");
      }
      chosen = new FixedLimit(fixed);
    }
    return new LimiterSettings(chosen, fixed, clock, sleeper, listener, listener != NoListener.INSTANCE);
  }

  /** The default listener: hears nothing. */
  private enum NoListener implements RateLimiterListener {
    INSTANCE
  }

  /** A resolver that always answers the same limit. */
  private record FixedLimit(RateLimit limit) implements LimitResolver {
    @Override
    public RateLimit limitFor(String key) {
      return limit;
    }
  }
}
