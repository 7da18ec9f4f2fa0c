package io.distkit.ratelimit;

import io.distkit.core.Clock;
import io.distkit.core.Sleeper;
import io.distkit.core.session.Scheduler;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The settings every rate limiter shares. {@code LocalRateLimiter.builder()} and
 * {@code RedisRateLimiter.builder(jedis)} extend it with their own, and {@link #build()} returns the
 * {@link RateLimiter} interface whatever the backend. Not thread-safe; build once.
 *
 * @param <B> the concrete builder, so setters chain
 */
public abstract class RateLimiterBuilder<B extends RateLimiterBuilder<B>> {

  private @Nullable RateLimit limit;
  private @Nullable LimitResolver resolver;
  private Clock clock = Clock.system();
  private Sleeper sleeper = Sleeper.system();
  private Scheduler scheduler = Scheduler.shared();
  private @Nullable RateLimiterListener listener;

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
   * Where the limiter's background work runs: the sweep that forgets keys whose state is fresh again, once a
   * second while the limiter holds keys (a local limiter, or a Redis limiter's local fallback), so that keys are
   * forgotten even when calls stop. Callers sweep a little as they go, too. The task holds the limiter weakly:
   * a limiter nobody references any more is collected and its sweeps stop. Nothing else runs in the background.
   *
   * @param scheduler default {@link Scheduler#shared()}; a {@code ManualScheduler} in tests
   * @return this builder
   */
  public B scheduler(Scheduler scheduler) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
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
   * @return a new limiter, thread-safe
   * @throws IllegalStateException when neither a limit nor a resolver was set
   */
  public abstract RateLimiter build();

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /**
   * For implementations: the default limit, as set by {@link #limit(RateLimit)}.
   *
   * @return the limit, or null when none was set
   */
  protected final @Nullable RateLimit limit() {
    return limit;
  }

  /**
   * For implementations: the resolver, as set by {@link #limits(LimitResolver)}.
   *
   * @return the resolver, or null when none was set
   */
  protected final @Nullable LimitResolver limits() {
    return resolver;
  }

  /**
   * For implementations: the clock.
   *
   * @return the clock set by {@link #clock(Clock)}, or the system clock
   */
  protected final Clock clock() {
    return clock;
  }

  /**
   * For implementations: the sleeper.
   *
   * @return the sleeper set by {@link #sleeper(Sleeper)}, or the system sleeper
   */
  protected final Sleeper sleeper() {
    return sleeper;
  }

  /**
   * For implementations: the scheduler.
   *
   * @return the scheduler set by {@link #scheduler(Scheduler)}, or the shared one
   */
  protected final Scheduler scheduler() {
    return scheduler;
  }

  /**
   * For implementations: the listener.
   *
   * @return the listener set by {@link #listener(RateLimiterListener)}, or null when none was set
   */
  protected final @Nullable RateLimiterListener listener() {
    return listener;
  }
}
