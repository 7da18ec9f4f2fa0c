package io.distkit.ratelimit;

import io.distkit.ratelimit.internal.CompiledLimit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a key may do: an {@link Algorithm} and one or more {@link Bandwidth}s, checked and consumed atomically
 * together. "10 per second and 1,000 per hour" admits a request only if both allow it, and a denied request
 * consumes from neither.
 *
 * <pre>{@code
 * RateLimit api = RateLimit.builder(Algorithm.TOKEN_BUCKET)
 *     .bandwidth(Bandwidth.perSecond(10).withBurst(20))
 *     .bandwidth(Bandwidth.perHour(1_000))
 *     .build();
 * RateLimit simple = RateLimit.of(Algorithm.GCRA, 100, Duration.ofMinutes(1));
 * }</pre>
 *
 * <p>Validated when built, with messages that name the bad value: every number must fit the exact integer
 * arithmetic of both backends (Lua in Redis computes below 2^53), window algorithms take no burst, and a
 * sliding log holds at most 1,000,000 permits per bandwidth. Immutable and thread-safe; build limits once
 * and reuse them (tiers are typically constants).
 */
public final class RateLimit {

  /** The most bandwidths one limit may combine. */
  public static final int MAX_BANDWIDTHS = 8;

  private final Algorithm algorithm;
  private final List<Bandwidth> bandwidths;

  private RateLimit(Algorithm algorithm, List<Bandwidth> bandwidths) {
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    this.bandwidths = List.copyOf(bandwidths);
    if (this.bandwidths.isEmpty()) {
      throw new IllegalArgumentException("a rate limit needs at least one bandwidth");
    }
    if (this.bandwidths.size() > MAX_BANDWIDTHS) {
      throw new IllegalArgumentException("bandwidths (" + this.bandwidths.size() + ") must be at most "
          + MAX_BANDWIDTHS);
    }
    CompiledLimit.validate(algorithm, this.bandwidths);
  }

  /**
   * A limit of one bandwidth, {@code limit} permits per {@code period}.
   *
   * @param algorithm the algorithm
   * @param limit permits per period
   * @param period the period
   * @return the limit
   * @throws IllegalArgumentException naming the bad value
   */
  public static RateLimit of(Algorithm algorithm, long limit, Duration period) {
    return new RateLimit(algorithm, List.of(Bandwidth.of(limit, period)));
  }

  /**
   * A limit of one bandwidth.
   *
   * @param algorithm the algorithm
   * @param bandwidth the bandwidth
   * @return the limit
   * @throws IllegalArgumentException naming the bad value
   */
  public static RateLimit of(Algorithm algorithm, Bandwidth bandwidth) {
    return new RateLimit(algorithm, List.of(bandwidth));
  }

  /**
   * Starts a limit of several bandwidths.
   *
   * @param algorithm the algorithm every bandwidth uses
   * @return a builder
   */
  public static Builder builder(Algorithm algorithm) {
    return new Builder(algorithm);
  }

  /**
   * The algorithm.
   *
   * @return the algorithm
   */
  public Algorithm algorithm() {
    return algorithm;
  }

  /**
   * The bandwidths, in the order given.
   *
   * @return an immutable list of at least one bandwidth
   */
  public List<Bandwidth> bandwidths() {
    return bandwidths;
  }

  /**
   * The most permits one request can ever get: the smallest burst of the bandwidths. A request for more is
   * denied with {@link RateLimitDecision.Reason#EXCEEDS_CAPACITY}.
   *
   * @return the smallest burst
   */
  public long capacity() {
    long min = Long.MAX_VALUE;
    for (Bandwidth b : bandwidths) {
      min = Math.min(min, b.burst());
    }
    return min;
  }

  /**
   * This limit with every bandwidth's limit and burst scaled by {@code share}, rounded up and at least 1. Used
   * for the per-JVM share of a fleet-wide limit (see {@code RedisRateLimiter}'s fallback).
   *
   * @param share a fraction in (0, 1]
   * @return the scaled limit
   */
  public RateLimit scaled(double share) {
    if (!(share > 0 && share <= 1)) {
      throw new IllegalArgumentException("share (" + share + ") must be in (0, 1]");
    }
    List<Bandwidth> scaled = new ArrayList<>();
    for (Bandwidth b : bandwidths) {
      Bandwidth sb = Bandwidth.of(Math.max(1, (long) Math.ceil(b.limit() * share)), b.period());
      scaled.add(algorithm.supportsBurst() ? sb.withBurst(Math.max(1, (long) Math.ceil(b.burst() * share))) : sb);
    }
    return new RateLimit(algorithm, scaled);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof RateLimit r && r.algorithm == algorithm && r.bandwidths.equals(bandwidths);
  }

  @Override
  public int hashCode() {
    return 31 * algorithm.hashCode() + bandwidths.hashCode();
  }

  @Override
  public String toString() {
    return algorithm + " " + bandwidths;
  }

  /** Collects the bandwidths of a {@link RateLimit}. Not thread-safe. */
  public static final class Builder {
    private final Algorithm algorithm;
    private final List<Bandwidth> bandwidths = new ArrayList<>();

    private Builder(Algorithm algorithm) {
      this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    }

    /**
     * Adds a bandwidth; all of them must allow a request for it to be admitted.
     *
     * @param bandwidth the bandwidth
     * @return this builder
     */
    public Builder bandwidth(Bandwidth bandwidth) {
      bandwidths.add(Objects.requireNonNull(bandwidth, "bandwidth"));
      return this;
    }

    /**
     * Builds and validates the limit.
     *
     * @return the limit
     * @throws IllegalArgumentException naming the bad value
     */
    public RateLimit build() {
      return new RateLimit(algorithm, bandwidths);
    }
  }
}
