package io.distkit.ratelimit;

import io.distkit.core.internal.Require;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One rule of a {@link RateLimit}: {@code limit} permits per {@code period}, with at most {@code burst}
 * permits at once. A fresh key starts with its full burst available.
 *
 * <p>For {@link Algorithm#TOKEN_BUCKET} and {@link Algorithm#GCRA}, {@code burst} may differ from
 * {@code limit}: "10 per second, bursts of up to 50" is {@code Bandwidth.of(10, ofSeconds(1)).withBurst(50)}.
 * Window algorithms count permits per period, so their burst is always the limit.
 *
 * <p>Limits are exact integers and periods whole microseconds, between 1 ms and 366 days. Immutable.
 */
public final class Bandwidth {

  /** The shortest period accepted. */
  public static final Duration MIN_PERIOD = Duration.ofMillis(1);

  /** The longest period accepted. */
  public static final Duration MAX_PERIOD = Duration.ofDays(366);

  private final long limit;
  private final Duration period;
  private final long burst;

  private Bandwidth(long limit, Duration period, long burst) {
    this.limit = Require.positive(limit, "limit");
    this.period = checkPeriod(period);
    this.burst = Require.positive(burst, "burst");
  }

  /**
   * {@code limit} permits per {@code period}, bursts of up to {@code limit}.
   *
   * @param limit permits per period, at least 1
   * @param period between {@link #MIN_PERIOD} and {@link #MAX_PERIOD}, in whole microseconds
   * @return the bandwidth
   * @throws IllegalArgumentException naming the bad value
   */
  public static Bandwidth of(long limit, Duration period) {
    return new Bandwidth(limit, period, limit);
  }

  /**
   * {@code limit} permits per second.
   *
   * @param limit permits per second, at least 1
   * @return the bandwidth
   */
  public static Bandwidth perSecond(long limit) {
    return of(limit, Duration.ofSeconds(1));
  }

  /**
   * {@code limit} permits per minute.
   *
   * @param limit permits per minute, at least 1
   * @return the bandwidth
   */
  public static Bandwidth perMinute(long limit) {
    return of(limit, Duration.ofMinutes(1));
  }

  /**
   * {@code limit} permits per hour.
   *
   * @param limit permits per hour, at least 1
   * @return the bandwidth
   */
  public static Bandwidth perHour(long limit) {
    return of(limit, Duration.ofHours(1));
  }

  /**
   * The same rate with another burst (only {@link Algorithm#TOKEN_BUCKET} and {@link Algorithm#GCRA} accept a
   * burst different from the limit).
   *
   * @param burst the most permits available at once, at least 1; default {@link #limit()}
   * @return a new bandwidth
   */
  public Bandwidth withBurst(long burst) {
    return new Bandwidth(limit, period, burst);
  }

  private static Duration checkPeriod(Duration period) {
    Objects.requireNonNull(period, "period");
    if (period.compareTo(MIN_PERIOD) < 0 || period.compareTo(MAX_PERIOD) > 0) {
      throw new IllegalArgumentException("period (" + period + ") must be between " + MIN_PERIOD + " and "
          + MAX_PERIOD);
    }
    if (period.getNano() % 1000 != 0) {
      throw new IllegalArgumentException("period (" + period + ") must be a whole number of microseconds");
    }
    return period;
  }

  /**
   * Permits per period.
   *
   * @return the limit
   */
  public long limit() {
    return limit;
  }

  /**
   * The period over which {@link #limit()} permits are allowed.
   *
   * @return the period
   */
  public Duration period() {
    return period;
  }

  /**
   * The most permits available at once; a request for more is denied with
   * {@link RateLimitDecision.Reason#EXCEEDS_CAPACITY}.
   *
   * @return the burst
   */
  public long burst() {
    return burst;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Bandwidth b && b.limit == limit && b.burst == burst && b.period.equals(period);
  }

  @Override
  public int hashCode() {
    return Objects.hash(limit, period, burst);
  }

  @Override
  public String toString() {
    return limit + " per " + period + (burst != limit ? " (burst " + burst + ")" : "");
  }
}
