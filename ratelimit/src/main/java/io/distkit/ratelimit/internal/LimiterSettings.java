package io.distkit.ratelimit.internal;

import io.distkit.core.Clock;
import io.distkit.core.Sleeper;
import io.distkit.core.session.Scheduler;
import io.distkit.ratelimit.LimitResolver;
import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimiterListener;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The settings every limiter shares, as an implementation's builder hands them to its limiter. Not API.
 *
 * @param resolver chooses a key's limit
 * @param fixedLimit the one limit every key gets, or null when the resolver chooses per key
 * @param clock the clock
 * @param sleeper how {@code acquire} waits
 * @param scheduler runs background work (the sweep of a quiet limiter's keys)
 * @param listener hears decisions
 * @param hasListener false when {@code listener} is the default no-op
 */
public record LimiterSettings(
    LimitResolver resolver,
    @Nullable RateLimit fixedLimit,
    Clock clock,
    Sleeper sleeper,
    Scheduler scheduler,
    RateLimiterListener listener,
    boolean hasListener) {

  /**
   * The settings from what a builder was told.
   *
   * @param limit the default limit, or null
   * @param resolver the resolver, or null; takes precedence over {@code limit}
   * @param clock the clock
   * @param sleeper the sleeper
   * @param scheduler the scheduler
   * @param listener the listener, or null for none
   * @return the settings
   * @throws IllegalStateException when neither a limit nor a resolver was set
   */
  public static LimiterSettings of(@Nullable RateLimit limit, @Nullable LimitResolver resolver, Clock clock,
      Sleeper sleeper, Scheduler scheduler, @Nullable RateLimiterListener listener) {
    LimitResolver chosen = resolver;
    RateLimit fixed = null;
    if (chosen == null) {
      if (limit == null) {
        throw new IllegalStateException("a rate limiter needs a limit(RateLimit) or a limits(LimitResolver)");
      }
      fixed = limit;
      chosen = new FixedLimit(limit);
    }
    return new LimiterSettings(chosen, fixed, Objects.requireNonNull(clock, "clock"),
        Objects.requireNonNull(sleeper, "sleeper"), Objects.requireNonNull(scheduler, "scheduler"),
        listener == null ? NoListener.INSTANCE : listener,
        listener != null);
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
