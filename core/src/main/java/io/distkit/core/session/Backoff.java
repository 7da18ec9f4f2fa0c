package io.distkit.core.session;

import io.distkit.core.internal.Require;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before retry number {@code n}: exponential growth from an initial delay, capped, with
 * jitter so that many clients that failed together do not retry together.
 *
 * <p>Attempt {@code n} (from 1) has the base delay {@code min(cap, initial × multiplier^(n-1))}; the
 * {@link Jitter} then picks the actual delay from it. Used for reconnects, health probes, job retries and
 * anything else that retries.
 *
 * <pre>{@code
 * Backoff backoff = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(10)); // 100 ms, 200 ms, ...
 * scheduler.schedule(retry, backoff.delayNanos(attempt), TimeUnit.NANOSECONDS);
 * }</pre>
 *
 * <p>Immutable and thread-safe; computing a delay costs a few floating-point operations and one random number.
 */
public final class Backoff {

  /** How the actual delay is drawn from the base delay {@code d}. */
  public enum Jitter {
    /** Exactly {@code d}. Deterministic; clients in lockstep stay in lockstep. */
    NONE,
    /** Uniform in {@code [0, d]}: spreads retries the most, but may retry at once. */
    FULL,
    /** Uniform in {@code [d/2, d]}: spread, and never less than half the base delay. The default. */
    EQUAL
  }

  private final long initialNanos;
  private final long capNanos;
  private final double multiplier;
  private final Jitter jitter;

  private Backoff(long initialNanos, long capNanos, double multiplier, Jitter jitter) {
    this.initialNanos = initialNanos;
    this.capNanos = capNanos;
    this.multiplier = multiplier;
    this.jitter = jitter;
  }

  /**
   * Doubling delays from {@code initial} up to {@code cap}, with {@link Jitter#EQUAL} jitter.
   *
   * @param initial the base delay of the first attempt; positive
   * @param cap the largest base delay; at least {@code initial}
   * @return the backoff
   * @throws IllegalArgumentException naming the bad value
   */
  public static Backoff exponential(Duration initial, Duration cap) {
    long first = Require.positiveNanos(initial, "initial");
    long max = Require.positiveNanos(cap, "cap");
    if (max < first) {
      throw new IllegalArgumentException("cap (" + cap + ") must be at least initial (" + initial + ")");
    }
    return new Backoff(first, max, 2.0, Jitter.EQUAL);
  }

  /**
   * The same delay before every attempt, without jitter.
   *
   * @param delay positive
   * @return the backoff
   */
  public static Backoff fixed(Duration delay) {
    long nanos = Require.positiveNanos(delay, "delay");
    return new Backoff(nanos, nanos, 1.0, Jitter.NONE);
  }

  /**
   * This backoff with another growth factor.
   *
   * @param multiplier at least 1.0 (1.0 gives a fixed delay); default 2.0
   * @return a new backoff
   */
  public Backoff withMultiplier(double multiplier) {
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("multiplier (" + multiplier + ") must be a finite number >= 1.0");
    }
    return new Backoff(initialNanos, capNanos, multiplier, jitter);
  }

  /**
   * This backoff with another jitter.
   *
   * @param jitter default {@link Jitter#EQUAL} ({@link Jitter#NONE} for {@link #fixed(Duration)})
   * @return a new backoff
   */
  public Backoff withJitter(Jitter jitter) {
    return new Backoff(initialNanos, capNanos, multiplier, Objects.requireNonNull(jitter, "jitter"));
  }

  /**
   * The base delay of an attempt, before jitter.
   *
   * @param attempt 1 for the first retry
   * @return {@code min(cap, initial × multiplier^(attempt-1))} in nanoseconds
   */
  public long baseDelayNanos(int attempt) {
    Require.positive(attempt, "attempt");
    double base = initialNanos * Math.pow(multiplier, attempt - 1.0);
    return base >= capNanos ? capNanos : (long) base;
  }

  /**
   * The delay before an attempt, jittered with {@link ThreadLocalRandom}.
   *
   * @param attempt 1 for the first retry
   * @return nanoseconds to wait, between 0 and the cap
   */
  public long delayNanos(int attempt) {
    return delayNanos(attempt, () -> ThreadLocalRandom.current().nextDouble());
  }

  /**
   * The delay before an attempt, jittered with the given random numbers (for tests, or a seeded source).
   *
   * @param attempt 1 for the first retry
   * @param random numbers uniform in {@code [0, 1)}
   * @return nanoseconds to wait, between 0 and the cap
   */
  public long delayNanos(int attempt, DoubleSupplier random) {
    long base = baseDelayNanos(attempt);
    return switch (jitter) {
      case NONE -> base;
      case FULL -> (long) (base * random.getAsDouble());
      case EQUAL -> base / 2 + (long) ((base - base / 2) * random.getAsDouble());
    };
  }

  /**
   * {@link #delayNanos(int)} as a duration.
   *
   * @param attempt 1 for the first retry
   * @return the delay
   */
  public Duration delay(int attempt) {
    return Duration.ofNanos(delayNanos(attempt));
  }

  /**
   * The largest base delay.
   *
   * @return the cap
   */
  public Duration cap() {
    return Duration.ofNanos(capNanos);
  }

  /**
   * The first delay, before jitter.
   *
   * @return the initial delay
   */
  public Duration initial() {
    return Duration.ofNanos(initialNanos);
  }

  /**
   * How much each delay grows over the one before (1 for a fixed backoff).
   *
   * @return the multiplier, at least 1
   */
  public double multiplier() {
    return multiplier;
  }

  /**
   * How delays are randomized.
   *
   * @return the jitter
   */
  public Jitter jitter() {
    return jitter;
  }

  @Override
  public String toString() {
    return "Backoff[" + Duration.ofNanos(initialNanos) + " x" + multiplier + " up to " + Duration.ofNanos(capNanos)
        + ", " + jitter + " jitter]";
  }
}
